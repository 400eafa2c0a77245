import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Contender, Program, Supervision} from '../lib/contender.js';
import {run, start, stop} from '../lib/processes.js';
import {localLogTime} from '../lib/log-time.js';
import {waitFor} from '../lib/wait.js';

/** The supervisord binary, installed from Debian's `supervisor` when missing and allowed; else why not. */
export async function findSupervisord(allowInstall: boolean): Promise<{binary: string} | {reason: string}> {
	const binary = await which('supervisord');
	if (binary !== undefined) {
		return {binary};
	}

	if (!allowInstall) {
		return {reason: 'supervisord not installed (no installs in this mode)'};
	}

	try {
		const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
		const aptGet = [...sudo, 'apt-get'];
		const env = {DEBIAN_FRONTEND: 'noninteractive'};
		process.stderr.write('installing supervisor (apt-get install -y supervisor)…\n');
		try {
			await run(aptGet[0]!, [...aptGet.slice(1), 'install', '-y', '-qq', 'supervisor'], {env});
		} catch {
			// A fresh machine's package lists may be empty or stale.
			await run(aptGet[0]!, [...aptGet.slice(1), 'update', '-qq'], {env});
			await run(aptGet[0]!, [...aptGet.slice(1), 'install', '-y', '-qq', 'supervisor'], {env});
		}
	} catch (error) {
		return {reason: `apt-get install supervisor failed: ${(error as Error).message.split('\n')[0]}`};
	}

	const installed = await which('supervisord');
	return installed === undefined ? {reason: 'supervisor installed but no supervisord on PATH'} : {binary: installed};
}

async function which(name: string): Promise<string | undefined> {
	try {
		return (await run('sh', ['-c', `command -v ${name}`])).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** supervisord's config quotes an argv as shlex reads it, and "%" is its own expansion character. */
function quote(argument: string): string {
	return `'${argument.replaceAll('\'', '\'"\'"\'').replaceAll('%', '%%')}'`;
}

/** supervisord in the foreground (nodaemon) with its own config, pid file and logs in `folder`; numprocs = instances. */
export function supervisordContender(binary: string): Contender {
	return {
		tool: 'supervisord',
		// It has none: a program that exits is restarted at once or, after startsecs failures, given up on.
		supportsRestartDelay: false,
		async start(program: Program, folder: string): Promise<Supervision> {
			if (typeof program.restart === 'object') {
				throw new TypeError('supervisord has no restart delay');
			}

			mkdirSync(program.logFolder, {recursive: true});
			const configFile = path.join(folder, 'supervisord.conf');
			const pidFile = path.join(folder, 'supervisord.pid');
			writeFileSync(configFile, [
				'[supervisord]',
				'nodaemon=true',
				`logfile=${path.join(folder, 'supervisord.log')}`,
				`pidfile=${pidFile}`,
				`childlogdir=${program.logFolder}`,
				// 1,000 programs hold 2 pipes each: raise its fd and process floors so it does not refuse to start.
				`minfds=${program.openFiles ?? 16_384}`,
				`minprocs=${Math.max(4096, program.instances + 100)}`,
				// At info it logs "exited: bench_N (exit status 0; expected)" per end, with milliseconds.
				`loglevel=${program.recordEnds ? 'info' : 'warn'}`,
				'',
				'[program:bench]',
				`command=${[program.command, ...program.args].map(quote).join(' ')}`,
				'process_name=%(program_name)s_%(process_num)d',
				`numprocs=${program.instances}`,
				'autostart=true',
				`autorestart=${program.restart === 'at-once' ? 'true' : 'false'}`,
				// Any exit counts as a successful start, so it never stops restarting ("FATAL" after startretries).
				'startsecs=0',
				'startretries=1000000000',
				'stopsignal=TERM',
				'stopwaitsecs=2',
				'redirect_stderr=true',
				`stdout_logfile=${path.join(program.logFolder, '%(program_name)s_%(process_num)d.log')}`,
				// No rotation: the output workload checks every line.
				'stdout_logfile_maxbytes=0',
				'environment=FATC_SLOT="%(process_num)d"',
				'',
			].join('\n'));
			const daemon = start(binary, ['-c', configFile], {cwd: folder, stdio: ['ignore', 'ignore', 'inherit'], openFiles: program.openFiles});
			let exited = false;
			void daemon.exited.then(() => {
				exited = true;
			});
			await waitFor('supervisord to write its pid file', () => {
				if (exited) {
					throw new Error(`supervisord exited at start: ${readLog(folder)}`);
				}

				return existsSync(pidFile) ? true : undefined;
			}, {timeout: 30_000});
			return {
				tool: 'supervisord',
				supervisorPids: () => [daemon.pid],
				parentOfRuns: () => daemon.pid,
				async stop() {
					await stop(daemon, 60_000);
				},
				endRecord: program.recordEnds ? {file: path.join(folder, 'supervisord.log'), marks: ' exited: ', timeOf: localLogTime} : undefined,
			};
		},
	};
}

function readLog(folder: string): string {
	try {
		return readFileSync(path.join(folder, 'supervisord.log'), 'utf8').slice(-1000);
	} catch {
		return '(no log)';
	}
}
