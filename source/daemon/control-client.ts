import {connect, type Socket} from 'node:net';
import {LineReader, protocolVersion, type CommandName, type Message} from './protocol.js';

/** No daemon answers on the socket: the CLI exits 3 (SPEC §4). */
export class NoDaemonError extends Error {
	override name = 'NoDaemonError';
}

export type ControlClient = {
	request(command: CommandName, args?: unknown[]): Promise<unknown>;
	/** Pushed events and snapshots; returns the unsubscribe. */
	onMessage(listener: (message: Message) => void): () => void;
	/** Resolves when the daemon closed the connection (or close() was called). */
	readonly closed: Promise<void>;
	close(): void;
	/** What the daemon said of itself in hello. */
	readonly daemon: {pid: number; name: string};
};

/** Connects to a daemon's control socket and says hello; throws NoDaemonError when nothing answers. */
export async function connectClient(socketPath: string, options: {claimOwnership?: boolean} = {}): Promise<ControlClient> {
	const socket = await open(socketPath);
	socket.setEncoding('utf8');
	let nextId = 1;
	const pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>();
	const listeners = new Set<(message: Message) => void>();
	const reader = new LineReader(line => {
		const message = JSON.parse(line) as Message;
		if (message.type === 'reply') {
			const waiting = message.id === null ? undefined : pending.get(message.id);
			if (waiting) {
				pending.delete(message.id!);
				if (message.ok) {
					waiting.resolve(message.value);
				} else {
					waiting.reject(new Error(message.error));
				}
			}

			return;
		}

		for (const listener of listeners) {
			listener(message);
		}
	}, () => {
		socket.destroy(new Error('the daemon sent a message that is too long'));
	});
	socket.on('data', (chunk: string) => {
		reader.push(chunk);
	});
	const closed = new Promise<void>(resolve => {
		socket.on('close', () => {
			for (const waiting of pending.values()) {
				waiting.reject(new Error('the daemon closed the connection'));
			}

			pending.clear();
			resolve();
		});
	});
	socket.on('error', () => {
		// Reported through `closed` and the pending requests.
	});

	const request = (command: CommandName, args?: unknown[]) => new Promise<unknown>((resolve, reject) => {
		if (socket.destroyed) {
			reject(new Error('the connection to the daemon is closed'));
			return;
		}

		const id = nextId++;
		pending.set(id, {resolve, reject});
		socket.write(`${JSON.stringify({id, command, args})}\n`);
	});

	const daemon = await request('hello', [protocolVersion, options.claimOwnership === true]) as {pid: number; name: string};
	return {
		request,
		onMessage(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		closed,
		close() {
			socket.end();
		},
		daemon,
	};
}

function open(socketPath: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect(socketPath);
		socket.once('connect', () => {
			socket.off('error', reject);
			resolve(socket);
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			reject(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')
				? new NoDaemonError(`no fatc daemon answers on ${socketPath}`, {cause: error})
				: error);
		});
	});
}
