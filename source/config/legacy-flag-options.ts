/*
 * The original Fat Controller's flags as the command line parses them, apart from what turns them into a config
 * (legacy-flags.ts): every fatc command parses its line with these, and only a legacy command line loads the rest.
 */

/**
 * The original Fat Controller's long flags, typed for `node:util` parseArgs. As in the original
 * (getopt `no_argument` flags), `--independent-threads` and `--fixed-interval-threads` only switch the
 * thread model, and `--threads N` sets how many; giving both model flags is an error, as it was.
 * The original's short letters are left out: fatc's own `-c` (config) and `-d` (detach) differ.
 * `--run-once` and `--test-fire` are fatc flags too, so they are not in here (see {@link legacyFlagNames}).
 */
export const legacyFlagOptions = {
	command: {type: 'string'},
	arguments: {type: 'string'},
	threads: {type: 'string'},
	'independent-threads': {type: 'boolean'},
	'fixed-interval-threads': {type: 'boolean'},
	sleep: {type: 'string'},
	'sleep-on-error': {type: 'string'},
	'proc-run-time-warn': {type: 'string'},
	'proc-run-time-max': {type: 'string'},
	'proc-term-timeout': {type: 'string'},
	'fixed-interval-wait': {type: 'string'},
	'append-thread-id': {type: 'boolean'},
	'log-file': {type: 'string'},
	'err-log-file': {type: 'string'},
	'working-directory': {type: 'string'},
	'pid-file': {type: 'string'},
	'daemon-name': {type: 'string'},
	daemonise: {type: 'boolean'},
	debug: {type: 'boolean'},
} as const satisfies Record<string, {type: 'string' | 'boolean'}>;

/** Every flag of the original that fatc understands, including those fatc shares (`--run-once`, `--test-fire`). */
export const legacyFlagNames: readonly string[] = [...Object.keys(legacyFlagOptions), 'run-once', 'test-fire'];

/**
 * Joins `--arguments "-f x.php"` into `--arguments=-f x.php` for every legacy string flag. getopt
 * (the original) always took the next word as the value; parseArgs refuses one that starts with "-",
 * and `--arguments "-f …"` and `--fixed-interval-wait -1` are how the original was used.
 */
export function joinLegacyFlagValues(argv: readonly string[]): string[] {
	const joined: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--') {
			joined.push(...argv.slice(index));
			break;
		}

		const flag = argument.startsWith('--') ? argument.slice(2) : '';
		const next = argv[index + 1];
		if (next !== undefined && Object.hasOwn(legacyFlagOptions, flag)
			&& legacyFlagOptions[flag as keyof typeof legacyFlagOptions].type === 'string') {
			joined.push(`${argument}=${next}`);
			index++;
		} else {
			joined.push(argument);
		}
	}

	return joined;
}

// Flags that only say how to run do not make a legacy command line by themselves.
const runFlags = new Set(['debug']);

/** Whether any flag that describes a job was given. */
export function hasLegacyFlags(values: Record<string, string | boolean | undefined>): boolean {
	return Object.keys(legacyFlagOptions).some(flag => !runFlags.has(flag) && values[flag] !== undefined && values[flag] !== false);
}
