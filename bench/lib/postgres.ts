import {spawn, type ChildProcess} from 'node:child_process';
import {chownSync, closeSync, existsSync, openSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {run} from './processes.js';
import {temporaryFolder} from './temporary.js';
import {waitFor} from './wait.js';

/** A PostgreSQL server of the benchmark's own: a temp data folder, a Unix socket in it, no TCP port. */
export type Postgres = {
	/** The folder holding the socket: psql's `-h`. */
	readonly socketFolder: string;
	readonly database: string;
	/** The postmaster; its exited backends' CPU is in its cutime/cstime. */
	readonly pid: number;
	/** `psql` and the arguments that reach this database quietly, unaligned, tuples only (append `-c SQL`). */
	readonly psql: string;
	readonly psqlArguments: readonly string[];
	/** Runs SQL through psql; resolves with its output (tuples only, unaligned). */
	query(sql: string): Promise<string>;
	/** `pg_ctl stop -m immediate`, then SIGKILL if it is still there. Idempotent. */
	stop(): Promise<void>;
};

type Binaries = {folder: string; psql: string; uid: number; gid: number};

/** The newest /usr/lib/postgresql/N/bin with initdb, postgres and pg_ctl, psql on PATH and a `postgres` user; else why not. */
export async function findPostgres(): Promise<Binaries | {reason: string}> {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter(name => /^\d+$/.test(name)).sort((first, second) => Number(second) - Number(first)) : [];
	const folder = versions.map(version => path.join(root, version, 'bin'))
		.find(candidate => ['initdb', 'postgres', 'pg_ctl'].every(name => existsSync(path.join(candidate, name))));
	if (folder === undefined) {
		return {reason: `no PostgreSQL server: ${root}/N/bin/{initdb,postgres,pg_ctl} not found`};
	}

	let psql: string;
	try {
		psql = (await run('sh', ['-c', 'command -v psql'])).trim();
	} catch {
		return {reason: 'no psql on PATH'};
	}

	try {
		const [uid, gid] = (await run('sh', ['-c', 'id -u postgres && id -g postgres'])).trim().split('\n').map(Number) as [number, number];
		return {folder, psql, uid, gid};
	} catch {
		return {reason: 'no `postgres` user (postgres refuses to run as root)'};
	}
}

/**
 * Starts a throw-away PostgreSQL: initdb into a temp folder owned by the `postgres` user, then `postgres` in the
 * foreground as that user (setpriv when we are root), listening only on a socket in that folder, fsync off.
 * The server is started without the benchmark's marker, so the sweeps between contenders leave it running; it is
 * stopped by `stop()`, and by an exit hook should the benchmark end without calling it (Ctrl-C).
 */
export async function startPostgres(binaries: Binaries, log: (message: string) => void): Promise<Postgres> {
	const folder = temporaryFolder('postgres');
	const dataFolder = path.join(folder, 'data');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		chownSync(folder, binaries.uid, binaries.gid);
	}

	// As the postgres user when we are root: `setpriv` execs, so the pid we hold is the postmaster's own.
	const asPostgres = (command: string, args: readonly string[]): [string, string[]] => asRoot
		? ['setpriv', [`--reuid=${binaries.uid}`, `--regid=${binaries.gid}`, '--clear-groups', '--', command, ...args]]
		: [command, [...args]];
	const binary = (name: string) => path.join(binaries.folder, name);
	const environment = withoutMarker();

	await run(...asPostgres(binary('initdb'), ['-D', dataFolder, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']), {cwd: folder, env: {}});
	const logFile = path.join(folder, 'postgres.log');
	const logDescriptor = openSync(logFile, 'a');
	if (asRoot) {
		chownSync(logFile, binaries.uid, binaries.gid);
	}

	const [command, args] = asPostgres(binary('postgres'), [
		'-D', dataFolder,
		'-k', folder,
		'-c', 'listen_addresses=',
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
		'-c', 'log_min_messages=warning',
	]);
	const server: ChildProcess = spawn(command, args, {cwd: folder, env: environment, detached: true, stdio: ['ignore', logDescriptor, logDescriptor]});
	closeSync(logDescriptor);
	const pid = server.pid ?? -1;
	let running = server.pid !== undefined;
	server.once('exit', () => {
		running = false;
	});
	server.once('error', () => {
		running = false;
	});
	// Ctrl-C ends the benchmark with process.exit: only synchronous work runs then. SIGQUIT is `-m immediate`.
	const onExit = () => {
		if (running) {
			process.kill(pid, 'SIGQUIT');
		}
	};

	process.on('exit', onExit);

	const psqlArguments = ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', folder, '-U', 'postgres'];
	let stopped = false;
	const postgres: Postgres = {
		socketFolder: folder,
		database: 'bench',
		pid,
		psql: binaries.psql,
		psqlArguments: [...psqlArguments, '-d', 'bench'],
		async query(sql) {
			return run(binaries.psql, [...psqlArguments, '-d', 'bench', '-c', sql]);
		},
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			try {
				if (running) {
					await run(...asPostgres(binary('pg_ctl'), ['stop', '-D', dataFolder, '-m', 'immediate', '-w', '-t', '30']), {timeout: 40_000});
				}
			} catch (error) {
				log(`pg_ctl stop failed (${(error as Error).message.split('\n')[0]}); killing the postmaster`);
			} finally {
				if (running) {
					process.kill(pid, 'SIGKILL');
				}

				process.off('exit', onExit);
			}
		},
	};

	try {
		await waitFor('postgres to accept connections on its socket', async () => {
			if (!running) {
				throw new Error(`postgres exited at start: ${readFileSync(logFile, 'utf8').slice(-1000)}`);
			}

			try {
				await run(binaries.psql, [...psqlArguments, '-d', 'postgres', '-c', 'select 1'], {timeout: 5000});
				return true;
			} catch {
				return undefined;
			}
		}, {timeout: 60_000, interval: 200});
		await run(binaries.psql, [...psqlArguments, '-d', 'postgres', '-c', 'create database bench']);
	} catch (error) {
		await postgres.stop();
		throw error;
	}

	return postgres;
}

/** process.env without FATC_BENCH_MARK (the parent never carries it; said here so it stays true). */
function withoutMarker(): Record<string, string> {
	const environment: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined && name !== 'FATC_BENCH_MARK') {
			environment[name] = value;
		}
	}

	return environment;
}
