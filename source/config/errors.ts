/** One thing wrong with a config: where (a key path like `jobs.emails.instances`, or a line) and what. */
export type ConfigProblem = {
	/** Dotted key path; empty for the document as a whole. */
	path: string;
	/** `expected …, got …`, or `unknown key (did you mean "command"?)`. */
	message: string;
	/** 1-based line in the file, when known (parse errors). */
	line?: number;
	/** 1-based column, when known. */
	column?: number;
};

/**
 * A config that cannot be used. `message` is for people: one line per problem, each naming the file,
 * and no stack trace. The CLI prints it and exits with status 2.
 */
export class ConfigError extends Error {
	override readonly name = 'ConfigError';
	readonly file: string;
	readonly problems: ConfigProblem[];

	constructor(file: string, problems: ConfigProblem[], options?: ErrorOptions) {
		super(formatProblems(file, problems), options);
		this.file = file;
		this.problems = problems;
	}
}

/** One line per problem: `/srv/app/.fatcontrollerrc: jobs.emails.instances: expected a positive integer, got -1`. */
export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
	return problems.map(problem => {
		const location = problem.line === undefined
			? file
			: `${file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
		const path = problem.path === '' ? '' : `${problem.path}: `;
		return `${location}: ${path}${problem.message}`;
	}).join('\n');
}

const maximumShownLength = 40;

/** A value as it appears in an error: JSON-ish, cut to about 40 characters; `nothing` when absent. */
export function describeValue(value: unknown): string {
	let text: string;
	if (value === undefined) {
		return 'nothing';
	}

	if (typeof value === 'function') {
		return 'a function';
	}

	if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol') {
		text = String(value);
	} else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = Object.prototype.toString.call(value);
		}
	}

	return text.length > maximumShownLength ? `${text.slice(0, maximumShownLength - 1)}…` : text;
}

/** `expected a positive integer, got -1`. */
export function expectedGot(expected: string, value: unknown): string {
	return `expected ${expected}, got ${describeValue(value)}`;
}

/** `jobs.emails.instances` from `['jobs', 'emails', 'instances']`; array indexes as `args[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let text = '';
	for (const key of path) {
		if (typeof key === 'number') {
			text += `[${key}]`;
		} else {
			text += text === '' ? String(key) : `.${String(key)}`;
		}
	}

	return text;
}
