import {z} from 'zod';
import type {RedisAddress} from '../core/cluster-settings.js';
import {duration, instanceCount, safeName} from './fields.js';

/*
 * `cluster`: limits across hosts on one Redis (issue 17). The top level names the store, a job its limit. A Redis URL
 * may carry a password: no message ever shows it (a bad URL is shown with the password as ***).
 */

const expected = (description: string) => ({error: description});
const seconds = (count: number) => count * 1000;
const urlDescription = 'a Redis URL: "redis://[user:password@]host[:port][/db]", "rediss://…" (TLS) or "unix:///path/to/redis.sock[?db=N]"';

/** `redis://u:secret@h` → `redis://u:***@h`; text that is no URL loses everything from its last `@` back to `//`. */
export function hidePassword(url: string): string {
	return url.replace(/^([a-z]+:\/\/[^/@:]*:)[^@/]*@/i, '$1***@').replace(/^([a-z]+:\/\/)[^/@:]+@/i, (_whole, scheme: string) => `${scheme}***@`);
}

function databaseNumber(text: string | null | undefined): number | undefined {
	if (text === null || text === undefined || text === '') {
		return 0;
	}

	return /^\d{1,5}$/.test(text) ? Number(text) : undefined;
}

/** The parts of a Redis URL; undefined when it is none fatc can use. */
export function parseRedisUrl(text: string): RedisAddress | undefined {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}

	const credentials = {
		...(url.username === '' ? {} : {username: decodeURIComponent(url.username)}),
		...(url.password === '' ? {} : {password: decodeURIComponent(url.password)}),
	};
	const shown = hidePassword(text);
	if (url.protocol === 'unix:') {
		const db = databaseNumber(url.searchParams.get('db'));
		if (url.pathname === '' || url.pathname === '/' || url.host !== '' || db === undefined) {
			return undefined;
		}

		return {kind: 'unix', path: decodeURIComponent(url.pathname), ...credentials, db, shown};
	}

	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		return undefined;
	}

	const db = databaseNumber(url.pathname.slice(1));
	const port = url.port === '' ? 6379 : Number(url.port);
	if (url.hostname === '' || db === undefined) {
		return undefined;
	}

	// URL keeps the brackets of an IPv6 host; the socket wants the bare address.
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	return {kind: 'tcp', host, port, tls: url.protocol === 'rediss:', ...credentials, db, shown};
}

const redisUrl = z.unknown().transform((value, context): RedisAddress => {
	const address = typeof value === 'string' ? parseRedisUrl(value.trim()) : undefined;
	if (address === undefined) {
		// The value found, without its password: format-issues.ts shows `params.got` as it is.
		const got = typeof value === 'string' ? JSON.stringify(hidePassword(value)) : typeof value;
		context.addIssue({code: 'custom', message: urlDescription, input: value, params: {got}});
		return z.NEVER;
	}

	return address;
});

const variableName = z.string(expected('an environment variable name')).regex(/^[A-Za-z_]\w*$/, expected('an environment variable name'));

/** The top-level `cluster`. */
export const clusterSchema = z.strictObject({
	redis: redisUrl,
	key: safeName('a key'),
	onUnavailable: z.enum(['fail', 'local'], expected('"fail" or "local"')).default('fail'),
	passwordEnv: variableName.default('FATC_REDIS_PASSWORD'),
	leaseTtl: duration.refine(value => value >= 1000, expected('a duration of at least 1s')).default(seconds(15)),
}, expected('a mapping with "redis" (a URL) and "key"'));

/** A job's `cluster`: `{instances: N}` and/or, for the fixed model, `{once: true}`. */
export const jobClusterSchema = z.strictObject({
	instances: instanceCount.optional(),
	once: z.boolean(expected('true or false')).optional(),
}, expected('a mapping with "instances" and/or "once"'))
	.superRefine((cluster, context) => {
		if (cluster.instances === undefined && cluster.once !== true) {
			context.addIssue({code: 'custom', message: '"instances" and/or "once: true"', input: cluster});
		}
	});

export const clusterKeys = ['redis', 'key', 'onUnavailable', 'passwordEnv', 'leaseTtl'] as const;
export const jobClusterKeys = ['instances', 'once'] as const;
