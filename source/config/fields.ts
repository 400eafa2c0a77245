import {constants} from 'node:os';
import {Cron} from 'croner';
import {z} from 'zod';
import {maximumInstances, namePattern} from '../core/job-definition.js';
import {durationDescription, parseDuration} from './duration.js';
import {SplitError, splitArguments} from './split-arguments.js';

/*
 * Leaf schemas of the config file. Every issue message is what was *expected* ("a positive integer");
 * format-issues.ts adds "expected" and the value found. A custom issue may carry `params.got`, shown
 * verbatim instead of the value at its path.
 */

/** A zod schema from a plain parse function: undefined means "not valid", reported as `description`. */
export function parsedField<Output>(description: string, parse: (value: unknown) => Output | undefined) {
	return z.unknown().transform((value, context): Output => {
		const result = parse(value);
		if (result === undefined) {
			context.addIssue({code: 'custom', message: description, input: value});
			return z.NEVER;
		}

		return result;
	});
}

const expected = (description: string) => ({error: description});

export const nonEmptyString = (description: string) =>
	z.string(expected(description)).trim().min(1, expected(description));


/** 0 keeps a job defined but not running, as `fatc scale JOB 0` does at run time: scale it up to start it. */
const instancesExpected = expected(`an integer from 0 to ${maximumInstances}`);
export const instanceCount = z.int(instancesExpected).min(0, instancesExpected).max(maximumInstances, instancesExpected);

export const exitCode = z.int(expected('an exit code from 0 to 255'))
	.min(0, expected('an exit code from 0 to 255'))
	.max(255, expected('an exit code from 0 to 255'));

/** Milliseconds from seconds, "500ms", "30s", "5m" or "1h". */
export const duration = parsedField(durationDescription, parseDuration);

/** -1 waits for a free slot; 0 and durations in milliseconds as they are. */
export const fixedIntervalWait = parsedField(
	`-1 (wait for a free slot), 0 (stop the oldest run at once) or ${durationDescription}`,
	value => value === -1 || value === '-1' ? -1 : parseDuration(value),
);

/** Names files (logs, pid file, socket), so only letters, digits, `_`, `.` and `-`. */
export const safeName = (what: string) => z.string(expected(`${what} of letters, digits, "_", "." or "-"`))
	.regex(namePattern, expected(`${what} of letters, digits, "_", "." or "-"`));

function toText(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? String(value) : undefined;
}

/** A string; numbers and booleans become their text (YAML reads `PORT: 8080` as a number). */
export const scalarText = parsedField('a string', toText);

/** An array of strings, or one string split like a shell does (quotes respected). */
export const argumentList = z.unknown().transform((value, context): string[] => {
	if (typeof value === 'string') {
		try {
			return splitArguments(value);
		} catch (error) {
			const description = error instanceof SplitError ? error.expected : 'a command line';
			context.addIssue({code: 'custom', message: description, input: value});
			return z.NEVER;
		}
	}

	if (!Array.isArray(value)) {
		context.addIssue({code: 'custom', message: 'a list of strings, or one string split like a shell does', input: value});
		return z.NEVER;
	}

	const words: string[] = [];
	for (const [index, element] of value.entries()) {
		const word = toText(element);
		if (word === undefined) {
			context.addIssue({code: 'custom', message: 'a string', input: element, path: [index]});
		} else {
			words.push(word);
		}
	}

	return words;
});

const signalNames = Object.keys(constants.signals);

/** A signal name, `TERM` or `SIGTERM` (any case), as `SIGTERM`. */
export const signalName = parsedField('a signal name such as "SIGTERM" or "TERM"', value => {
	if (typeof value !== 'string') {
		return undefined;
	}

	const upper = value.trim().toUpperCase();
	const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
	return signalNames.includes(name) ? name as NodeJS.Signals : undefined;
});

const cronDescription = 'a 5- or 6-field cron expression such as "*/5 * * * *"';
const cronFields = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];

/** A 5- or 6-field cron expression (or a croner nickname such as `@hourly`) that names a future time. */
export const cronExpression = z.unknown().transform((value, context): string => {
	const expression = typeof value === 'string' ? value.trim() : undefined;
	const problem = expression === undefined ? undefined : cronProblem(expression);
	if (expression === undefined || problem !== undefined) {
		// A problem of '' is one the description already says (the number of fields): the value alone then.
		const got = problem ? `${JSON.stringify(expression)}: ${problem}` : undefined;
		context.addIssue({code: 'custom', message: cronDescription, input: value, ...(got === undefined ? {} : {params: {got}})});
		return z.NEVER;
	}

	return expression;
});

/**
 * Why croner refuses `expression`, naming the field it cannot read (croner's own message names it by number); '' when
 * the description says it all; undefined when it is fine.
 */
function cronProblem(expression: string): string | undefined {
	const fields = expression.split(/\s+/);
	if (!expression.startsWith('@') && fields.length !== 5 && fields.length !== 6) {
		return '';
	}

	if (parsesCron(expression)) {
		// Without a callback croner schedules nothing: it only parses the pattern.
		return new Cron(expression).nextRun() === null ? 'it names no time in the future' : undefined;
	}

	if (expression.startsWith('@')) {
		return 'no nickname croner knows (@yearly, @monthly, @weekly, @daily, @hourly)';
	}

	const names = fields.length === 6 ? ['second', ...cronFields] : cronFields;
	// Each field alone, the others any: the first one croner refuses is the one to name.
	const wrong = fields.findIndex((_field, index) => !parsesCron(fields.map((field, other) => other === index ? field : '*').join(' ')));

	return wrong === -1 ? 'croner cannot read it' : `the ${names[wrong]} field ${JSON.stringify(fields[wrong])} is not valid`;
}

function parsesCron(expression: string): boolean {
	try {
		void new Cron(expression);
		return true;
	} catch {
		return false;
	}
}
