import {closestMatch} from '../config/did-you-mean.js';
import {scaleUsage} from './usage.js';
import {UsageError} from './usage-error.js';

/**
 * What node:util's parseArgs threw, said for a person: `unknown option --detatch (did you mean --detach?)`,
 * `fatc scale worker -1` as scale's own usage line. Its own text tells how to pass a positional starting with "-".
 */
export function parseError(error: unknown, argv: readonly string[], optionNames: readonly string[]): UsageError {
	const {message, code} = error as {message: string; code?: string};
	const [, token = ''] = /^(?:Unknown option|Option) '([^',]+)/.exec(message) ?? [];
	const number = /^-\d/.test(token) ? token : undefined;
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && number !== undefined) {
		return argv.includes('scale')
			? new UsageError(`${scaleUsage}; got "${number}"`)
			: new UsageError(`unexpected ${number}: a number here is 0 or more; see fatc --help`);
	}

	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && token !== '') {
		const names = optionNames.map(name => `--${name}`);
		const match = token.startsWith('--') ? closestMatch(token, names) : undefined;
		return new UsageError(`unknown option ${token}${match === undefined ? '' : ` (did you mean ${match}?)`}; see fatc --help`);
	}

	if (message.includes('argument is ambiguous')) {
		const value = argv[argv.indexOf(token) + 1] ?? '';
		return new UsageError(`${token}: expected a value, got "${value}"; see fatc --help`);
	}

	if (message.includes('argument missing')) {
		return new UsageError(`${token} needs a value; see fatc --help`);
	}

	if (message.includes('does not take an argument')) {
		return new UsageError(`${token} takes no value; see fatc --help`);
	}

	return new UsageError(`${message}; see fatc --help`);
}
