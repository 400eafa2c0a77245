import {createConnection, createServer, type Socket} from 'node:net';
import type {TestContext} from 'node:test';
import {onCleanup} from './cleanup.js';

/*
 * A TCP relay on loopback between a fatc and its Redis, that the test can cut: `cut()` drops every connection and
 * refuses new ones (Redis looks gone: connection refused), `freeze()` stops relaying bytes without closing anything (a
 * network partition: commands time out), `restore()` ends either.
 */

export type TcpRelay = {port: number; cut(): void; freeze(): void; restore(): void};

export async function startTcpRelay(t: TestContext, target: {port: number}): Promise<TcpRelay> {
	let mode: 'open' | 'cut' | 'frozen' = 'open';
	const pairs = new Set<[Socket, Socket]>();
	const server = createServer(client => {
		if (mode === 'cut') {
			client.resetAndDestroy();
			return;
		}

		const upstream = createConnection({host: '127.0.0.1', port: target.port});
		const pair: [Socket, Socket] = [client, upstream];
		pairs.add(pair);
		client.pipe(upstream);
		upstream.pipe(client);
		if (mode === 'frozen') {
			client.pause();
			upstream.pause();
		}

		const close = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};

		client.on('error', close).on('close', close);
		upstream.on('error', close).on('close', close);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	onCleanup(t, async () => {
		for (const [client, upstream] of pairs) {
			client.destroy();
			upstream.destroy();
		}

		await new Promise(resolve => server.close(resolve));
	});
	return {
		port: typeof address === 'object' && address ? address.port : 0,
		cut() {
			mode = 'cut';
			for (const [client, upstream] of pairs) {
				client.resetAndDestroy();
				upstream.destroy();
			}
		},
		freeze() {
			mode = 'frozen';
			for (const [client, upstream] of pairs) {
				client.unpipe(upstream);
				upstream.unpipe(client);
				client.pause();
				upstream.pause();
			}
		},
		restore() {
			if (mode === 'frozen') {
				for (const [client, upstream] of pairs) {
					client.pipe(upstream);
					upstream.pipe(client);
					client.resume();
					upstream.resume();
				}
			}

			mode = 'open';
		},
	};
}
