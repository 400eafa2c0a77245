import {readFile} from 'node:fs/promises';
import {z} from 'zod';
import {didYouMean} from './did-you-mean.js';
import {ConfigError, describeValue, formatPath} from './errors.js';
import {loadYaml} from './file-loaders.js';
import {valueAt} from './format-issues.js';

/** One daemon of a fleet file: its address (ssh://…, a config file, a daemon name) and a short name for the HOST column. */
export type FleetEntry = {address: string; name?: string};

const address = z.string({error: 'an address (ssh://[user@]host[:port][/path], a config file or a daemon name)'}).min(1, 'a non-empty address');
const entry = z.union([
	address,
	z.strictObject({
		address,
		name: z.string({error: 'a short name for the HOST column'}).regex(/^[\w.@:-]{1,24}$/, 'a short name (letters, digits, . _ - @ :, at most 24)').optional(),
	}),
], {error: 'an address, or {address, name}'});
const fleetSchema = z.strictObject({
	hosts: z.array(entry, {error: 'a list of hosts'}).min(1, 'at least one host'),
}, {error: 'a mapping with hosts:'});

const validKeys = {root: ['hosts'], host: ['address', 'name']};

/**
 * `fatc fleet -f FILE`: a YAML (or JSON) file with `hosts:`, each an address or {address, name}. A file that does
 * not validate is a ConfigError: one line per problem, exit 2, as for the config.
 */
export async function loadFleetFile(file: string): Promise<FleetEntry[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
		throw new ConfigError(file, [{path: '', message: reason}], {cause: error});
	}

	return parseFleet(file, loadYaml(file, text));
}

export function parseFleet(file: string, raw: unknown): FleetEntry[] {
	const result = fleetSchema.safeParse(raw);
	if (!result.success) {
		throw new ConfigError(file, result.error.issues.flatMap(issue => {
			if (issue.code === 'unrecognized_keys') {
				const known = issue.path.length === 0 ? validKeys.root : validKeys.host;
				return issue.keys.map(key => ({path: formatPath([...issue.path, key]), message: `unknown key${didYouMean(key, known)}`}));
			}

			const value = valueAt(raw, issue.path);
			if (issue.code === 'invalid_union' && typeof value === 'object' && value !== null) {
				// {address: 1}: what is wrong inside the mapping, not that it is not a string.
				// {adress: …}: "unknown key (did you mean "address"?)" says the address is missing too.
				const inners = issue.errors[1] ?? [];
				const misspelt = inners.some(inner => inner.code === 'unrecognized_keys');
				return inners.filter(inner => !misspelt || valueAt(raw, [...issue.path, ...inner.path]) !== undefined).map(inner => {
					const path = [...issue.path, ...inner.path];
					return inner.code === 'unrecognized_keys'
						? {path: formatPath([...path, inner.keys[0]!]), message: `unknown key${didYouMean(inner.keys[0]!, validKeys.host)}`}
						: {path: formatPath(path), message: `expected ${inner.message}, got ${describeValue(valueAt(raw, path))}`};
				});
			}

			return [{path: formatPath(issue.path), message: `expected ${issue.message}, got ${describeValue(value)}`}];
		}));
	}

	return result.data.hosts.map(each => (typeof each === 'string' ? {address: each} : each));
}
