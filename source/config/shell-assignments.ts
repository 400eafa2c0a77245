import type {ConfigProblem} from './errors.js';
import {SplitError, splitArguments} from './split-arguments.js';

/** One `KEY=value` line of a shell-style config file, value unquoted and expanded. */
export type Assignment = {key: string; value: string; line: number};

/** What {@link parseShellAssignments} found. */
export type ParsedAssignments = {
	assignments: Assignment[];
	/** `$NAME` references that no earlier line defined: left as written. */
	unresolved: string[];
	problems: ConfigProblem[];
};

const assignmentPattern = /^(?:export\s+)?([A-Za-z_]\w*)=(.*)$/;

/**
 * Reads `KEY=value` lines as a shell would source them: `#` comments, '…' and "…" quotes,
 * `export ` tolerated, `$KEY` / `${KEY}` replaced by an earlier line's value.
 */
export function parseShellAssignments(text: string): ParsedAssignments {
	const defined = new Map<string, string>();
	const unresolved = new Set<string>();
	const assignments: Assignment[] = [];
	const problems: ConfigProblem[] = [];
	const expand = (name: string) => {
		const value = defined.get(name);
		if (value === undefined) {
			unresolved.add(name);
		}

		return value;
	};

	for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
		const line = index + 1;
		const trimmed = rawLine.trim();
		if (trimmed === '' || trimmed.startsWith('#')) {
			continue;
		}

		const match = assignmentPattern.exec(trimmed);
		if (!match) {
			problems.push({path: '', line, message: `expected KEY=value, got ${JSON.stringify(trimmed.slice(0, 40))}`});
			continue;
		}

		const [, key = '', rest = ''] = match;
		try {
			const value = splitArguments(rest, {comments: true, expand}).join(' ');
			defined.set(key, value);
			assignments.push({key, value, line});
		} catch (error) {
			if (!(error instanceof SplitError)) {
				throw error;
			}

			problems.push({path: key, line, message: `expected ${error.expected}, got ${JSON.stringify(rest.slice(0, 40))}`});
		}
	}

	return {assignments, unresolved: [...unresolved], problems};
}
