import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Contender, Program, Supervision} from '../lib/contender.js';
import {peersFolder} from '../lib/paths.js';
import {run} from '../lib/processes.js';
import {localLogTime} from '../lib/log-time.js';
import {waitFor} from '../lib/wait.js';

const installedPm2 = path.join(peersFolder, 'node_modules', 'pm2', 'bin', 'pm2');

/** PM2's CLI: bench/.peers (installed there with npm when missing and allowed), else a global one; else why not. */
export async function findPm2(allowInstall: boolean): Promise<{binary: string} | {reason: string}> {
	if (existsSync(installedPm2)) {
		return {binary: installedPm2};
	}

	try {
		const global = (await run('sh', ['-c', 'command -v pm2'])).trim();
		if (global) {
			return {binary: global};
		}
	} catch {
		// Not on PATH.
	}

	if (!allowInstall) {
		return {reason: 'pm2 not installed (no installs in this mode)'};
	}

	try {
		process.stderr.write(`installing pm2 (npm install --prefix ${path.relative(process.cwd(), peersFolder)} pm2)…\n`);
		mkdirSync(peersFolder, {recursive: true});
		await run('npm', ['install', '--prefix', peersFolder, '--no-audit', '--no-fund', '--no-save', 'pm2'], {timeout: 600_000});
	} catch (error) {
		return {reason: `npm install pm2 failed: ${(error as Error).message.split('\n')[0]}`};
	}

	return existsSync(installedPm2) ? {binary: installedPm2} : {reason: 'npm install pm2 left no bin/pm2'};
}

/** PM2 with a PM2_HOME of its own in `folder`: its daemon ("God") runs the program's instances in fork mode. */
export function pm2Contender(binary: string, {startTimeout = 300_000} = {}): Contender {
	return {
		tool: 'pm2',
		supportsRestartDelay: true,
		async start(program: Program, folder: string): Promise<Supervision> {
			const home = path.join(folder, 'pm2-home');
			mkdirSync(program.logFolder, {recursive: true});
			// Milliseconds in its log (pm2.log), where the scale workload reads when it saw each end.
			const env = {PM2_HOME: home, PM2_DISCRETE_MODE: 'true', PM2_LOG_DATE_FORMAT: 'YYYY-MM-DDTHH:mm:ss.SSS'};
			const pm2 = async (...arguments_: string[]) => run(process.execPath, [binary, ...arguments_], {
				env,
				cwd: folder,
				timeout: program.startTimeout ?? startTimeout,
				// The daemon ("God") inherits the CLI's limits.
				openFiles: program.openFiles,
			});
			const ecosystem = path.join(folder, 'ecosystem.json');
			writeFileSync(ecosystem, JSON.stringify({
				apps: [{
					name: 'bench',
					script: program.command,
					args: program.args,
					interpreter: 'none',
					exec_mode: 'fork',
					instances: program.instances,
					autorestart: program.restart !== 'never',
					// Never "errored" for restarting too often: every exit is a normal end here.
					min_uptime: 100,
					max_restarts: 1_000_000_000,
					restart_delay: typeof program.restart === 'object' ? program.restart.afterMilliseconds : 0,
					// The slot number, as fatc's FATC_SLOT, for the stamp program.
					instance_var: 'FATC_SLOT',
					out_file: path.join(program.logFolder, 'bench-out.log'),
					error_file: path.join(program.logFolder, 'bench-error.log'),
					merge_logs: false,
					kill_timeout: 2000,
					watch: false,
					vizion: false,
					pmx: false,
				}],
			}));
			const godPid = () => {
				try {
					return Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8').trim()) || undefined;
				} catch {
					return undefined;
				}
			};

			const kill = async () => {
				try {
					await pm2('kill');
				} catch {
					// The sweep kills what is left.
				}
			};

			try {
				await pm2('start', ecosystem);
				const god = await waitFor('the PM2 daemon pid', godPid);
				return {
					tool: 'pm2',
					supervisorPids: () => [god],
					parentOfRuns: () => god,
					stop: kill,
					endRecord: program.recordEnds ? {file: path.join(home, 'pm2.log'), marks: ' exited with code ', timeOf: localLogTime} : undefined,
				};
			} catch (error) {
				await kill();
				throw error;
			}
		},
	};
}
