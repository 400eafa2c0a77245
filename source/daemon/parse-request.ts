import type {Request} from './protocol.js';

/** One line from a client as a request; throws with what was expected, for the error reply. */
export function parseRequest(line: string): Request {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new Error('not JSON: each message is one JSON object per line');
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('expected a JSON object {id, command, args}');
	}

	const {id, command, args} = value as Record<string, unknown>;
	if (typeof id !== 'number' || !Number.isInteger(id)) {
		throw new TypeError('id: expected an integer');
	}

	if (typeof command !== 'string') {
		throw new TypeError('command: expected a string');
	}

	if (args !== undefined && !Array.isArray(args)) {
		throw new TypeError('args: expected an array');
	}

	return {id, command: command as Request['command'], args};
}
