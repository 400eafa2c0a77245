import {connect} from 'node:net';
import {NoDaemonError} from './control-errors.js';

/**
 * A byte stream to a daemon's control socket, whatever carries it: the socket itself here (below), or `fatc proxy` on
 * a server through ssh (ssh-channel.ts). The control client (control-client.ts) speaks its protocol over either.
 */
export type Channel = {
	/** The socket path or the ssh:// URL, for messages. */
	readonly where: string;
	write(text: string): void;
	/** Ends this side; the daemon then closes the connection. */
	end(): void;
	/** Drops the connection at once. */
	destroy(): void;
	readonly open: boolean;
	onData(listener: (chunk: string) => void): void;
	/** Resolves once the connection is gone. */
	readonly closed: Promise<void>;
	/** Once closed: why, when the carrier failed (ssh could not connect, no fatc there…); undefined when it just ended. */
	failure(): Promise<Error | undefined>;
};

/** Connects to a control socket on this machine; throws NoDaemonError when nothing answers there. */
export function openSocketChannel(socketPath: string): Promise<Channel> {
	return new Promise((resolve, reject) => {
		const socket = connect(socketPath);
		socket.once('error', (error: NodeJS.ErrnoException) => {
			if (['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')) {
				reject(new NoDaemonError(`no fatc daemon answers on ${socketPath}`, {cause: error}));
			} else if (error.code === 'EACCES') {
				// The socket is 0600 in a 0700 folder: only the daemon's user may steer it (over ssh too).
				reject(new Error(`${socketPath} is another user's: only the user the daemon runs as may steer it (ssh in as that user)`));
			} else {
				reject(error);
			}
		});
		socket.once('connect', () => {
			socket.removeAllListeners('error');
			socket.on('error', () => {
				// Reported through `closed` and the pending requests.
			});
			socket.setEncoding('utf8');
			const closed = new Promise<void>(done => {
				socket.on('close', () => {
					done();
				});
			});
			resolve({
				where: socketPath,
				write: text => socket.write(text),
				end: () => socket.end(),
				destroy: () => socket.destroy(),
				get open() {
					return !socket.destroyed;
				},
				onData(listener) {
					socket.on('data', listener);
				},
				closed,
				failure: async () => undefined,
			});
		});
	});
}
