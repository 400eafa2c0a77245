import {type ChildProcess, execFile, spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {promisify} from 'node:util';
import {onCleanup} from './cleanup.js';
import {temporaryFolder} from './temporary-folder.js';
import {waitFor} from './wait-for.js';

/*
 * A real redis-server (the Debian package's, /usr/bin/redis-server) for the cluster tests: its own config and data
 * folder, on a Unix socket and a loopback port, stopped when the test ends. It keeps its data in an append-only file
 * fsynced on every write, so a restart keeps the leases (as readme.md asks of a Redis that counts cluster limits).
 */

const run = promisify(execFile);

export type RedisServer = {
	/** `unix:///…/redis.sock`: what a config's `cluster.redis` names. */
	url: string;
	socket: string;
	/** 127.0.0.1:`port`, for a relay in between or `redis://127.0.0.1:port`. */
	port: number;
	folder: string;
	/** The server's pid now (it changes with restart). */
	readonly pid: number | undefined;
	/** A command through redis-cli on the socket, e.g. `cli('ZRANGE', key, '0', '-1')`; its stdout, trimmed. */
	cli(...args: string[]): Promise<string>;
	/** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
	stop(): Promise<void>;
	/** Starts it again on the same socket, port and data (after stop()). */
	start(): Promise<void>;
	/** stop() and start(). */
	restart(): Promise<void>;
};

/** A free loopback port now (bound and let go: another process may take it in between, which no test here races). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
	});
}

/** Starts a redis-server for this test and waits until it answers PING. `password`: requirepass. */
export async function startRedisServer(t: TestContext, options: {password?: string} = {}): Promise<RedisServer> {
	const folder = temporaryFolder(t);
	const data = path.join(folder, 'data');
	mkdirSync(data);
	const socket = path.join(folder, 'redis.sock');
	const port = await freePort();
	const config = path.join(folder, 'redis.conf');
	writeFileSync(config, [
		`port ${port}`,
		'bind 127.0.0.1',
		`unixsocket ${socket}`,
		'unixsocketperm 700',
		`dir ${data}`,
		'save ""',
		'appendonly yes',
		'appendfsync always',
		'daemonize no',
		`logfile ${path.join(folder, 'redis.log')}`,
		...(options.password === undefined ? [] : [`requirepass ${options.password}`]),
	].join('\n') + '\n');

	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	const authentication = options.password === undefined ? [] : ['--no-auth-warning', '-a', options.password];
	const cli = async (...args: string[]) => (await run('redis-cli', ['-s', socket, ...authentication, ...args])).stdout.trim();

	const start = async () => {
		const started = spawn('/usr/bin/redis-server', [config], {stdio: 'ignore'});
		child = started;
		exited = new Promise(resolve => {
			started.once('exit', () => {
				resolve();
			});
		});
		await waitFor(async () => {
			try {
				return await cli('PING') === 'PONG';
			} catch {
				return false;
			}
		}, 'redis-server to answer PING', 20_000);
	};

	const stop = async () => {
		const running = child;
		if (!running || running.exitCode !== null || running.signalCode !== null) {
			return;
		}

		running.kill('SIGTERM');
		const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	};

	await start();
	onCleanup(t, stop);
	return {
		url: `unix://${socket}`,
		socket,
		port,
		folder,
		get pid() {
			return child?.pid;
		},
		cli,
		stop,
		start,
		async restart() {
			await stop();
			await start();
		},
	};
}
