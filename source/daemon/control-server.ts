import {chmod, rm} from 'node:fs/promises';
import {createServer, type Server, type Socket} from 'node:net';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {executeCommand} from './execute-command.js';
import {LineReader, protocolVersion, type Message, type Request} from './protocol.js';

export type ControlServerOptions = {
	socketPath: string;
	handle: SupervisorHandle;
	name: string;
	/** The last event lines, for a client that attaches later (the TUI shows them as if it had been there). */
	recentEvents?: () => SupervisorEvent[];
	/** Called when the owning client (a local TUI, SPEC §5) disconnects without handing off. */
	onOwnerLost?: () => void;
};

export type ControlServer = {
	/** Closes the socket and every connection; removes the socket file. */
	close(): Promise<void>;
};

/** A slow client whose unread output passes this is dropped, so it cannot grow the daemon's memory. */
const maximumBufferedBytes = 16 * 1024 * 1024;
const snapshotInterval = 100;

/**
 * The daemon's control socket: newline-delimited JSON requests and replies, plus pushed events and snapshots (at most
 * ~10 per second) to subscribers. Malformed or hostile input gets an error reply, never a crash. Socket mode 0600.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
	const {handle} = options;
	const connections = new Set<Socket>();
	const subscribers = new Set<Socket>();
	let owner: Socket | undefined;
	let released = false;

	const send = (socket: Socket, message: Message) => {
		if (socket.destroyed) {
			return;
		}

		if (socket.writableLength > maximumBufferedBytes) {
			socket.destroy();
			return;
		}

		socket.write(`${JSON.stringify(message)}\n`);
	};

	let snapshotDue = false;
	const pushSnapshot = () => {
		snapshotDue = false;
		if (subscribers.size === 0) {
			return;
		}

		const snapshot = handle.snapshot();
		for (const socket of subscribers) {
			send(socket, {type: 'snapshot', snapshot});
		}
	};

	const snapshotTimer = setInterval(() => {
		if (snapshotDue) {
			pushSnapshot();
		}
	}, snapshotInterval);
	const heartbeat = setInterval(pushSnapshot, 1000);
	const unsubscribe = handle.subscribe(event => {
		snapshotDue = true;
		for (const socket of subscribers) {
			send(socket, {type: 'event', event});
		}
	});

	const server: Server = createServer(socket => {
		connections.add(socket);
		socket.setEncoding('utf8');
		const reader = new LineReader(line => {
			void answer(socket, line);
		}, () => {
			send(socket, {type: 'reply', id: null, ok: false, error: 'message too long'});
			socket.destroy();
		});
		socket.on('data', (chunk: string) => {
			reader.push(chunk);
		});
		socket.on('error', () => {
			// A client vanishing mid-write is its business, not the daemon's.
		});
		socket.on('close', () => {
			connections.delete(socket);
			subscribers.delete(socket);
			if (socket === owner && !released) {
				options.onOwnerLost?.();
			}
		});
	});

	async function answer(socket: Socket, line: string) {
		let request: Request;
		try {
			request = parseRequest(line);
		} catch (error) {
			send(socket, {type: 'reply', id: null, ok: false, error: (error as Error).message});
			return;
		}

		try {
			const value = await respond(socket, request);
			send(socket, {type: 'reply', id: request.id, ok: true, value});
		} catch (error) {
			send(socket, {type: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error)});
		}
	}

	async function respond(socket: Socket, request: Request): Promise<unknown> {
		switch (request.command) {
			case 'hello': {
				const [version, claimOwnership] = request.args ?? [];
				if (version !== protocolVersion) {
					throw new Error(`protocol version ${String(version)} is not ${protocolVersion}: client and daemon are different fatc versions`);
				}

				if (claimOwnership === true && owner === undefined) {
					owner = socket;
				}

				return {version: protocolVersion, pid: process.pid, name: options.name};
			}

			case 'subscribe': {
				subscribers.add(socket);
				return {snapshot: handle.snapshot(), events: options.recentEvents?.() ?? []};
			}

			case 'release': {
				released = true;
				return null;
			}

			default: {
				return executeCommand(handle, request);
			}
		}
	}

	await rm(options.socketPath, {force: true});
	const previousUmask = process.umask(0o177);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.socketPath, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} finally {
		process.umask(previousUmask);
	}

	await chmod(options.socketPath, 0o600);

	return {
		async close() {
			clearInterval(snapshotTimer);
			clearInterval(heartbeat);
			unsubscribe();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
				for (const socket of connections) {
					socket.end();
					socket.destroySoon();
				}
			});
			await rm(options.socketPath, {force: true});
		},
	};
}

function parseRequest(line: string): Request {
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
