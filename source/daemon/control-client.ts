import {openSocketChannel, type Channel} from './channel.js';
import type {ControlAddress} from './control-address.js';
import {NoDaemonError, ProtocolMismatchError, RemoteCommandError} from './control-errors.js';
import {LineReader, protocolVersion, type CommandName, type Message} from './protocol.js';
import {openSshChannel} from './ssh-channel.js';

export {NoDaemonError} from './control-errors.js';

const closedMessage = 'the daemon closed the connection';

export type ControlClient = {
	request(command: CommandName, args?: unknown[]): Promise<unknown>;
	/** Pushed events and snapshots; returns the unsubscribe. */
	onMessage(listener: (message: Message) => void): () => void;
	/** Resolves when the daemon closed the connection (or close() was called, or ssh ended). */
	readonly closed: Promise<void>;
	close(): void;
	/** What the daemon said of itself in hello. */
	readonly daemon: {pid: number; name: string};
	/** True when the daemon is on this machine (its pid is one here). */
	readonly local: boolean;
};

/**
 * Connects to a daemon — on its socket here (a path), or through `ssh … fatc proxy` (an ssh:// address) — and says
 * hello. Each end checks the other's protocol version. Throws one of control-errors.ts: NoDaemonError (nothing
 * answers), UnreachableError (ssh could not connect), NoRemoteFatcError, ProtocolMismatchError, RemoteCommandError.
 */
export async function connectClient(address: ControlAddress, options: {claimOwnership?: boolean} = {}): Promise<ControlClient> {
	const channel = typeof address === 'string' ? await openSocketChannel(address) : openSshChannel(address);
	let nextId = 1;
	let garbled: string | undefined;
	const pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>();
	const listeners = new Set<(message: Message) => void>();
	const reader = new LineReader(line => {
		let message: Message;
		try {
			message = JSON.parse(line) as Message;
		} catch {
			// A login script that prints to stdout over ssh, or no fatc at all: not a stream to go on reading.
			garbled ??= line.slice(0, 80);
			channel.destroy();
			return;
		}

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
		garbled ??= 'a message that is too long';
		channel.destroy();
	});
	channel.onData(chunk => {
		reader.push(chunk);
	});
	const closed = channel.closed.then(() => {
		for (const waiting of pending.values()) {
			waiting.reject(new Error(closedMessage));
		}

		pending.clear();
	});

	const request = (command: CommandName, args?: unknown[]) => new Promise<unknown>((resolve, reject) => {
		if (!channel.open) {
			reject(new Error('the connection to the daemon is closed'));
			return;
		}

		const id = nextId++;
		pending.set(id, {resolve, reject});
		channel.write(`${JSON.stringify({id, command, args})}\n`);
	});

	let daemon: {version?: unknown; pid: number; name: string};
	try {
		daemon = await request('hello', [protocolVersion, options.claimOwnership === true]) as typeof daemon;
	} catch (error) {
		channel.end();
		throw await helloFailure(channel, error as Error, garbled);
	}

	if (daemon.version !== protocolVersion) {
		channel.end();
		throw new ProtocolMismatchError(`${channel.where}: the daemon speaks protocol version ${String(daemon.version)}, this fatc ${protocolVersion}: they are different fatc versions; install the same one on both sides`);
	}

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
			channel.end();
		},
		daemon: {pid: daemon.pid, name: daemon.name},
		local: typeof address === 'string',
	};
}

/** Why hello got no answer, said for the user: the daemon refused our version, the carrier failed, or garbage came. */
async function helloFailure(channel: Channel, error: Error, garbled: string | undefined): Promise<Error> {
	if (error.message.startsWith('protocol version')) {
		return new ProtocolMismatchError(`${channel.where}: the daemon refused this fatc: ${error.message}; install the same fatc on both sides`);
	}

	if (error.message !== closedMessage) {
		return new RemoteCommandError(`${channel.where}: hello failed: ${error.message}`, 2);
	}

	const failure = await channel.failure();
	if (failure) {
		return failure;
	}

	if (garbled !== undefined) {
		return new ProtocolMismatchError(`${channel.where}: no fatc control connection: it sent ${JSON.stringify(garbled)}`);
	}

	return new NoDaemonError(`${channel.where}: the connection closed before the daemon said hello`);
}
