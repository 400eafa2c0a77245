import {stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import type {LoadOptions} from '../config/find-config.js';
import {defaultRunDirectory} from '../config/resolve.js';
import {namePattern} from '../core/job-definition.js';
import {openSocketChannel} from '../daemon/channel.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {loadClientConfiguration} from './client-configuration.js';
import {UsageError} from './usage-error.js';

type Input = NodeJS.ReadableStream;
type Output = NodeJS.WritableStream;

/**
 * `fatc proxy [PATH | -c FILE | --name NAME]`: this process's stdin and stdout become a connection to the control socket
 * of the daemon here, so `ssh HOST fatc proxy` carries the control protocol (as `docker -H ssh://` does): no port is
 * opened, and the socket's mode (0600, in a 0700 folder) still decides who may steer — the SSH user must be the
 * daemon's. Bytes pass as they are: the daemon checks the client's protocol version, the client the daemon's. Ends
 * when either side closes; no daemon: NoDaemonError (exit 3, one line on stderr, which ssh carries back).
 */
export async function proxyCommand(socketPath: string, streams: {input: Input; output: Output} = {input: process.stdin, output: process.stdout}): Promise<number> {
	const channel = await openSocketChannel(socketPath);
	const {input, output} = streams;
	channel.onData(chunk => {
		output.write(chunk);
	});
	output.on('error', () => {
		channel.destroy();
	});
	input.setEncoding('utf8');
	input.on('data', (chunk: string) => {
		channel.write(chunk);
	});
	input.on('end', () => {
		channel.end();
	});
	await channel.closed;
	return 0;
}

/** Which daemon `fatc proxy` reaches: by PATH (the app's folder or its config file), -c FILE, --name NAME, or this folder's. */
export async function proxySocket(options: {path?: string; config?: string; name?: string}): Promise<string> {
	const given = [options.path, options.config, options.name].filter(each => each !== undefined);
	if (given.length > 1) {
		throw new UsageError('proxy takes one of PATH, -c FILE and --name NAME');
	}

	if (options.name !== undefined) {
		if (!namePattern.test(options.name)) {
			throw new UsageError(`--name: expected a daemon's name (letters, digits, ".", "_", "-"), got "${options.name}"`);
		}

		return path.join(defaultRunDirectory(), `${options.name}.sock`);
	}

	const load: LoadOptions = options.path === undefined ? {configPath: options.config, cwd: process.cwd()} : await locate(options.path);
	return daemonPaths(await loadClientConfiguration(load)).socket;
}

/**
 * The folder or config file a path names (what an ssh:// URL's path sends to the server): a folder is searched for a
 * config as `fatc` in it would; `~` is the home folder (the shell left it alone: it came quoted).
 */
export async function locate(where: string): Promise<LoadOptions> {
	const expanded = where === '~' ? homedir() : where.startsWith('~/') ? path.join(homedir(), where.slice(2)) : where;
	const info = await stat(expanded).catch(() => undefined);
	if (info === undefined) {
		throw new UsageError(`${where}: no such folder or config file`);
	}

	return info.isDirectory() ? {cwd: path.resolve(expanded)} : {configPath: path.resolve(expanded)};
}
