import {lstatSync} from 'node:fs';
import {chmod, rm} from 'node:fs/promises';
import {createServer, type Server, type Socket} from 'node:net';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {executeCommand} from './execute-command.js';
import {createOwnership, type Ownership} from './ownership.js';
import {defaultRunsView, protocolVersion, type Request} from './protocol.js';
import {parseRunsView} from './runs-view.js';
import {sendLine} from './send-line.js';
import {serveConnection} from './serve-connection.js';
import {startSnapshotBroadcaster, type SnapshotBroadcaster} from './snapshot-broadcaster.js';

export type ControlServerOptions = {
	socketPath: string;
	handle: SupervisorHandle;
	name: string;
	/** The last event lines, for a client that attaches later (the TUI shows them as if it had been there). */
	recentEvents?: () => SupervisorEvent[];
	/** The Prometheus text of `fatc metrics` (the host's registry, metrics/); absent: the command is refused. */
	metrics?: () => Promise<string>;
	/** Called when the owning client (a local TUI, SPEC §5) disconnects without handing off. */
	onOwnerLost?: () => void;
	/** A TUI (a subscriber) attached or left, or the owning one handed off (D): a line in the daemon's log. */
	onAttachment?: (change: 'attached' | 'detached' | 'handed-off', tuis: number) => void;
};

export type ControlServer = {
	/** Whether the socket file at the path is still the one this server listens on (not removed, not replaced). */
	holdsPath(): boolean;
	/** Listens on a new socket file at the path (the one it had was removed); connections open stay served. */
	relisten(): Promise<void>;
	/** Closes the socket and every connection; removes the socket file if it is still this server's. */
	close(): Promise<void>;
};

/**
 * The daemon's control socket: newline-delimited JSON requests and replies, plus pushed events and snapshots (at most
 * ~10 per second) to subscribers, each with only the runs it shows (protocol.ts: RunsView). Malformed or hostile input
 * gets an error reply, never a crash. Socket mode 0600.
 * Three parts: the connections (serve-connection.ts), the snapshot stream (snapshot-broadcaster.ts) and who owns the
 * daemon (ownership.ts); this file answers the requests about the connection itself and runs the rest on the handle.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
	const broadcaster = startSnapshotBroadcaster(options.handle, {deliver: sendLine});
	const ownership = createOwnership(options.onOwnerLost);
	const connections = new Set<Socket>();
	const subscribers = new Set<Socket>();
	const serve = () => createServer(socket => {
		connections.add(socket);
		serveConnection(socket, async (client, request) => respond({options, broadcaster, ownership, subscribers}, client, request), () => {
			connections.delete(socket);
			broadcaster.remove(socket);
			ownership.disconnected(socket);
			if (subscribers.delete(socket)) {
				options.onAttachment?.('detached', subscribers.size);
			}
		});
	});
	let server = serve();
	let identity = await listenPrivately(server, options.socketPath);
	const holdsPath = () => {
		const now = fileIdentity(options.socketPath);
		return now !== undefined && now.dev === identity.dev && now.ino === identity.ino;
	};

	return {
		holdsPath,
		async relisten() {
			// Closed first: libuv unlinks a listening socket's path as it closes it, which must not be the new file. Its
			// connections stay until they end (close() ends them).
			server.close();
			server = serve();
			identity = await listenPrivately(server, options.socketPath);
		},
		async close() {
			broadcaster.close();
			for (const socket of connections) {
				socket.end();
				socket.destroySoon();
			}

			if (!holdsPath()) {
				// The file was removed, maybe replaced by another fatc's: closing would unlink that path (libuv does), so
				// the listening socket is only let go of, and closes with the process.
				server.unref();
				return;
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			await rm(options.socketPath, {force: true});
		},
	};
}

function fileIdentity(path: string): {dev: number; ino: number} | undefined {
	try {
		const {dev, ino} = lstatSync(path);
		return {dev, ino};
	} catch {
		return undefined;
	}
}

type Parts = {options: ControlServerOptions; broadcaster: SnapshotBroadcaster<Socket>; ownership: Ownership; subscribers: Set<Socket>};

/** Requests about the connection itself (who it is, what it follows, whether it hands off); the rest steer the core. */
async function respond({options, broadcaster, ownership, subscribers}: Parts, socket: Socket, request: Request): Promise<unknown> {
	switch (request.command) {
		case 'hello': {
			const [version, claimOwnership] = request.args ?? [];
			if (version !== protocolVersion) {
				throw new Error(`protocol version ${String(version)} is not ${protocolVersion}: client and daemon are different fatc versions`);
			}

			if (claimOwnership === true) {
				ownership.claim(socket);
			}

			return {version: protocolVersion, pid: process.pid, name: options.name};
		}

		case 'subscribe': {
			const [view] = request.args ?? [];
			const snapshot = broadcaster.add(socket, view === undefined ? defaultRunsView : parseRunsView(view));
			const events = options.recentEvents?.() ?? [];
			if (!subscribers.has(socket)) {
				subscribers.add(socket);
				options.onAttachment?.('attached', subscribers.size);
			}

			return {snapshot, events};
		}

		case 'show-runs': {
			broadcaster.show(socket, parseRunsView(request.args?.[0]));
			return null;
		}

		case 'release': {
			ownership.release();
			options.onAttachment?.('handed-off', subscribers.size);
			return null;
		}

		case 'metrics': {
			if (!options.metrics) {
				throw new Error('this fatc keeps no metrics');
			}

			return options.metrics();
		}

		default: {
			return executeCommand(options.handle, request);
		}
	}
}

/**
 * Listens on a fresh socket file that only this user may open (created 0600 under umask, then made sure of); returns
 * the file's identity.
 */
async function listenPrivately(server: Server, socketPath: string): Promise<{dev: number; ino: number}> {
	await rm(socketPath, {force: true});
	const previousUmask = process.umask(0o177);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(socketPath, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} finally {
		process.umask(previousUmask);
	}

	await chmod(socketPath, 0o600);
	const identity = fileIdentity(socketPath);
	if (identity === undefined) {
		throw new Error(`The control socket ${socketPath} was removed as it was made`);
	}

	return identity;
}
