import type {z} from 'zod';
import {didYouMean} from './did-you-mean.js';
import {type ConfigProblem, describeValue, formatPath} from './errors.js';
import {validKeys} from './schema.js';

/** Keys valid in the object at `path` of the config file. */
function keysAt(path: readonly PropertyKey[]): readonly string[] {
	if (path.length === 0) {
		return validKeys.configuration;
	}

	if (path[0] === 'jobs' && path.length === 2) {
		return validKeys.job;
	}

	const [section, owner] = path[0] === 'jobs' ? [path[2], path.length === 3] : [path[0], path.length === 1];
	if (owner && section === 'cluster') {
		return path[0] === 'jobs' ? validKeys.jobCluster : validKeys.cluster;
	}

	const sections = ['exitCodes', 'hold', 'backlog', 'quiet', 'notify', 'logFormat', 'metrics'] as const;
	const known = sections.find(name => name === section);
	if (owner && known !== undefined) {
		return validKeys[known];
	}

	return [];
}

/** The value at `path` in a parsed document, or undefined when the path does not lead anywhere. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let value = root;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
			return undefined;
		}

		value = (value as Record<PropertyKey, unknown>)[key];
	}

	return value;
}

/** Root-level type mismatches: the branch of a union that was not meant (`false` where a mapping was written). */
const isMismatch = (issue: z.core.$ZodIssue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');

function problemsOf(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
	if (issue.code === 'invalid_union') {
		// `hold: {load: -1}` fails both `false` and the mapping: report what is wrong inside the mapping.
		const meant = issue.errors.find(branch => branch.length > 0 && !branch.every(isMismatch));
		if (meant) {
			return meant.flatMap(inner => problemsOf({...inner, path: [...issue.path, ...inner.path]}, raw));
		}
	}

	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map(key => ({
			path: formatPath([...issue.path, key]),
			message: `unknown key${didYouMean(key, keysAt(issue.path))}`,
		}));
	}

	if (issue.code === 'invalid_key') {
		// A bad map key (job name, variable name): show the key itself.
		const key = issue.path.at(-1);
		return issue.issues.slice(0, 1).map(inner => ({
			path: formatPath(issue.path),
			message: `expected ${inner.message}, got ${describeValue(key)}`,
		}));
	}

	const got: unknown = issue.code === 'custom' && typeof issue.params?.['got'] === 'string'
		? issue.params['got']
		: describeValue(valueAt(raw, issue.path));
	return [{path: formatPath(issue.path), message: `expected ${issue.message}, got ${String(got)}`}];
}

/** Zod issues as config problems: `expected …, got …` with the value found in `raw`, and unknown keys with a suggestion. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): ConfigProblem[] {
	// A mapping with a misspelt key also misses the key meant: "unknown key (did you mean …)" says both.
	const misspelt = new Set(issues.filter(issue => issue.code === 'unrecognized_keys').map(issue => formatPath(issue.path)));
	return issues
		.filter(issue => issue.code !== 'custom' || !misspelt.has(formatPath(issue.path)))
		.flatMap(issue => problemsOf(issue, raw));
}
