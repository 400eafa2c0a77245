import type {SpawnRequest} from '../core/process-driver.js';
import {ChildReaper} from './child-reaper.js';
import {resolveCommand} from './command-path.js';
import {constants, type Libc} from './libc.js';
import {pipeReaders, type PipeReaders} from './pipe-reader.js';
import {SpawnCall, type SpawnCallRequest} from './posix-spawn-call.js';
import {childrenOf, readProcessStat} from './proc-stat.js';
import type {LeaderExit, OutputPipe, SpawnEngine, StartedProcess} from './spawn-engine.js';
import {SpawnThread} from './spawn-thread.js';

/** One pipe for stdout and stderr when they go to one log file, else two. */
export const posixDescriptorsPerRun = (job: {errLogFile?: string}) => (job.errLogFile === undefined ? 1 : 2);

/**
 * glibc's posix_spawn through koffi: clone(CLONE_VM|CLONE_VFORK), so nothing of fatc's memory is copied and the cost
 * does not grow with fatc's heap. Each run gets its own session (POSIX_SPAWN_SETSID, as child_process's
 * `detached: true`: no controlling terminal, its pid is its pgid), every signal at its default and none blocked (Node
 * ignores SIGPIPE; the child must not inherit that), stdin from /dev/null, and its output in one pipe (stdout and
 * stderr both, when the job has no errLogFile: one descriptor a run) or two. Leaders are reaped from SIGCHLD.
 * fatc becomes the child subreaper of everything it starts: what leaves a run's group is re-parented to fatc, not to
 * PID 1, and reaped here (child-reaper.ts). One a process (spawnEngineNamed keeps it): a second's reaper would take the
 * first one's exits with its waitpid(-1), and a run of either could be reported ended never, or twice.
 */
export function createPosixEngine(libc: Libc, threadFrom = spawnThreadThreshold): SpawnEngine {
	if (madeOne) {
		throw new Error('A process holds one posix engine (spawnEngineNamed gives it): a second would reap the first one\'s children');
	}

	madeOne = true;
	const reaper = new ChildReaper(libc);
	const pidOne = process.pid === 1;
	const subreaper = !pidOne && libc.setChildSubreaper() === 0;
	const adoption = pidOne ? 'fatc is PID 1 and reaps every orphan' : (subreaper
		? 'fatc is the child subreaper of its runs'
		: `fatc could not become child subreaper (${libc.errnoName(libc.errno())}): what leaves a run's group goes to PID 1`);
	const readers = pipeReaders();
	const spawner = new Spawner(libc, reaper, readers, threadFrom);
	return {
		name: 'posix',
		description: `posix_spawn through koffi (glibc ${libc.version}), ${spawnThreadPhrase(threadFrom)}; ${adoption}; ${readers.description}`,
		adopts: pidOne || subreaper,
		descriptorsPerRun: posixDescriptorsPerRun,
		start(request) {
			try {
				return {started: spawner.start(request)};
			} catch (error) {
				return {failure: Promise.resolve(error)};
			}
		},
		reapNow() {
			reaper.reap();
		},
		spawnerThread: () => spawner.threadView(),
		onWarning(listener) {
			spawner.warn = listener;
		},
		findGroupMember(pgid) {
			// A live leader of another run leads its own group (a session leader cannot change it): no need to read it.
			for (const pid of childrenOf('self') ?? []) {
				if (!reaper.isLeader(pid) && readProcessStat(pid)?.group === pgid) {
					return pid;
				}
			}

			return undefined;
		},
	};
}

let madeOne = false;

/** From this many runs under way on, starts go through the spawner thread (spawn-thread.ts), which starts at half. */
export const spawnThreadThreshold = 2500;

/** How the engine's description names the spawner thread. */
export const spawnThreadPhrase = (from: number) => `from a spawner thread with a descriptor table of its own while ${from} runs or more are under way`;

class Spawner {
	private readonly call: SpawnCall;
	private readonly descriptors = new Int32Array(2);
	/** Runs whose output pipe is still open: what the child of a main-thread spawn would copy. */
	private underWay = 0;
	private thread: SpawnThread | undefined;
	warn: ((message: string) => void) | undefined;

	constructor(
		private readonly libc: Libc,
		private readonly reaper: ChildReaper,
		private readonly readers: PipeReaders,
		private readonly threadFrom: number,
	) {
		this.call = new SpawnCall(libc);
	}

	threadView() {
		const {thread} = this;
		return thread && {serving: thread.ready, failure: thread.failure, starts: thread.starts, settled: thread.settled};
	}

	/** Throws a Node-style error (code ENOENT, EACCES, EMFILE…) when the process could not be started. */
	start(request: SpawnRequest): StartedProcess {
		const argv = [request.command, ...request.args];
		if (argv.some(argument => argument.includes('\0'))) {
			throw Object.assign(new TypeError(`An argument of ${JSON.stringify(request.command)} holds a NUL byte`), {code: 'ERR_INVALID_ARG_VALUE'});
		}

		const file = resolveCommand(request.command, request.cwd, request.env['PATH']);
		if (file === undefined) {
			throw spawnError(request.command, 'ENOENT');
		}

		const shared = request.errLogFile === undefined;
		const output = this.openPipe();
		let errors = output;
		if (!shared) {
			try {
				errors = this.openPipe();
			} catch (error) {
				this.closeBoth(output);
				throw error;
			}
		}

		let pid: number;
		try {
			const result = this.spawn({job: request.job, file, argv, env: request.env, cwd: request.cwd, stdout: output[1], stderr: errors[1]});
			if (result < 0) {
				throw spawnError(request.command, this.libc.errnoName(-result));
			}

			pid = result;
		} catch (error) {
			// Refused by posix_spawn, or a NUL in the environment (found only once the pipes are open): no reader.
			this.libc.close(output[0]);
			if (!shared) {
				this.libc.close(errors[0]);
			}

			throw error;
		} finally {
			this.libc.close(output[1]);
			if (!shared) {
				this.libc.close(errors[1]);
			}
		}

		const pipes: OutputPipe[] = [{stream: this.readers.open(output[0]), name: 'stdout', logFile: request.logFile}];
		if (request.errLogFile !== undefined) {
			pipes.push({stream: this.readers.open(errors[0]), name: 'stderr', logFile: request.errLogFile});
		}

		// A run's output ends when it exits (unless something it started holds the pipe): the hint that lets the
		// reaper wait for this pid alone instead of walking every child.
		// 'end' comes a loop turn before 'close'; 'close' covers a pipe destroyed before its end.
		const suspect = () => {
			this.reaper.suspect(pid);
		};

		this.underWay++;
		pipes[0]!.stream.once('end', suspect);
		pipes[0]!.stream.once('close', () => {
			this.underWay--;
			suspect();
		});

		return {pid, pipes, onExit: this.followExit(pid)};
	}

	/** The pid, or minus an errno value; through the spawner thread while thousands of runs are under way. */
	private spawn(request: SpawnCallRequest): number {
		// Started at half the mark, so that it serves by the time the mark is reached (tens of milliseconds).
		if (this.underWay >= this.threadFrom / 2 && this.thread === undefined) {
			this.thread = new SpawnThread(reason => {
				this.warn?.(`the spawner thread does not serve (${reason}): starts stay on fatc's main thread, where each costs more while thousands of runs are under way`);
			});
		}

		if (this.underWay >= this.threadFrom && this.thread?.ready === true) {
			// undefined: the thread stopped serving and started nothing. EINVAL: maybe a NUL in the environment, which the
			// main thread's own call turns into its clear error (a real EINVAL from posix_spawn started nothing either).
			const result = this.thread.spawn(request);
			if (result !== undefined && result !== -constants.eInval) {
				return result;
			}
		}

		return this.call.run(request);
	}

	private followExit(pid: number): (listener: (exit: LeaderExit) => void) => void {
		let exit: LeaderExit | undefined;
		let listener: ((exit: LeaderExit) => void) | undefined;
		this.reaper.follow(pid, reaped => {
			exit = reaped;
			listener?.(reaped);
		});
		return added => {
			listener = added;
			if (exit !== undefined) {
				added(exit);
			}
		};
	}

	/** [read, write], both close-on-exec: no other child inherits them; dup2 gives the run its 1 and 2 without the flag. */
	private openPipe(): [number, number] {
		if (this.libc.pipe2(this.descriptors, constants.oCloexec) !== 0) {
			throw spawnError('pipe', this.libc.errnoName(this.libc.errno()));
		}

		return [this.descriptors[0]!, this.descriptors[1]!];
	}

	private closeBoth([read, write]: [number, number]): void {
		this.libc.close(read);
		this.libc.close(write);
	}
}

function spawnError(command: string, code: string): Error {
	return Object.assign(new Error(`spawn ${command} ${code}`), {code, syscall: `spawn ${command}`, path: command});
}
