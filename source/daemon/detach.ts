import {spawn} from 'node:child_process';
import {closeSync, fstatSync, mkdirSync, openSync, readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Configuration} from '../core/job-definition.js';
import {connectClient, type ControlClient} from './control-client.js';
import {daemonPaths} from './daemon-paths.js';
import {DaemonRunningError, isFatcProcess, pidFileHolder} from './pid-file.js';

// The built CLI beside this module; from the TypeScript sources (tests under tsx), the build in dist/.
const here = fileURLToPath(import.meta.url);
const cliPath = here.endsWith('.ts') ? resolve(dirname(here), '../../dist/cli.js') : resolve(dirname(here), '../cli.js');

/**
 * Starts the daemon for a config file in its own session, stdio to its log, and resolves once it answers on its
 * socket (with its client, for a TUI that goes on to use it), or rejects with the reason it could not start.
 */
export async function startDaemon(configuration: Configuration, options: {owned?: boolean; fresh?: boolean; json?: boolean; timeout?: number} = {}): Promise<ControlClient> {
	const {configFile} = configuration;
	if (!configFile) {
		throw new Error('--detach needs a config file (the original\'s flags run in the foreground: use fatc run)');
	}

	const paths = daemonPaths(configuration);
	throwIfRunning(configuration.name, paths.pidFile);
	mkdirSync(dirname(paths.log), {recursive: true});
	const log = openSync(paths.log, 'a', 0o640);
	const logStart = fstatSync(log).size;
	const flags = [...(options.owned ? ['--owned'] : []), ...(options.fresh ? ['--fresh'] : []), ...(options.json ? ['--json'] : [])];
	const child = spawn(process.execPath, [cliPath, '--daemon-child', ...flags, '-c', configFile], {
		detached: true,
		stdio: ['ignore', log, log],
		cwd: dirname(configFile),
	});
	closeSync(log);
	child.unref();
	let exited: number | null | undefined;
	child.on('exit', code => {
		exited = code;
	});

	const deadline = Date.now() + (options.timeout ?? 15_000);
	while (Date.now() < deadline) {
		if (exited !== undefined) {
			// It lost a race to another fatc starting this config (two TUIs at once): that one's log is no reason.
			throwIfRunning(configuration.name, paths.pidFile);
			// What the daemon wrote before it gave up says why (its log may hold earlier daemons' lines too).
			const said = readFileSync(paths.log).subarray(logStart).toString('utf8').trim().replace(/^fatc: /, '');
			throw new Error(`the daemon could not start: ${said || `it exited with status ${exited}`}`);
		}

		// Only once the pid file names the child: hello to another fatc's daemon would claim it (and drop it).
		let holder: number | undefined;
		try {
			holder = throwIfRunning(configuration.name, paths.pidFile, child.pid);
		} catch (error) {
			// The child would give up anyway; it must not take over, owned by nobody, once the other daemon stops.
			child.kill('SIGTERM');
			throw error;
		}

		const client = holder === child.pid ? await connectClient(paths.socket, {claimOwnership: options.owned}).catch(() => undefined) : undefined;
		if (client && client.daemon.pid === child.pid) {
			return client;
		}

		client?.close();
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	child.kill('SIGTERM');
	throw new Error(`the daemon did not answer on ${paths.socket} within ${Math.round((options.timeout ?? 15_000) / 1000)} s; see ${paths.log}`);
}

/** Connects to the daemon `pid` once it answers on `socket` (it takes its pid file before it listens). */
export async function waitForAnswer(socket: string, pid: number, timeout = 15_000): Promise<ControlClient> {
	const deadline = Date.now() + timeout;
	while (Date.now() < deadline && isFatcProcess(pid)) {
		const client = await connectClient(socket).catch(() => undefined);
		if (client) {
			return client;
		}

		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error(`the fatc daemon (pid ${pid}) did not answer on ${socket}`);
}

/** Throws when a fatc other than `starting` holds the pid file; returns the holder. */
function throwIfRunning(name: string, pidFile: string, starting?: number): number | undefined {
	const holder = pidFileHolder(pidFile);
	if (holder !== undefined && holder !== starting) {
		throw new DaemonRunningError(`fatc daemon "${name}" already runs (pid ${holder})`, holder);
	}

	return holder;
}
