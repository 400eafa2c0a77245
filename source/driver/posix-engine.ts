import type {SpawnRequest} from '../core/process-driver.js';
import {ChildReaper} from './child-reaper.js';
import {resolveCommand} from './command-path.js';
import {EnvironmentBlocks} from './environment-block.js';
import {constants, type Libc} from './libc.js';
import {pipeReaders, type PipeReaders} from './pipe-reader.js';
import {childrenOf, readProcessStat} from './proc-stat.js';
import type {LeaderExit, OutputPipe, SpawnEngine, StartedProcess} from './spawn-engine.js';

/** One pipe for stdout and stderr when they go to one log file, else two. */
export const posixDescriptorsPerRun = (job: {errLogFile?: string}) => (job.errLogFile === undefined ? 1 : 2);

/**
 * glibc's posix_spawn through koffi: clone(CLONE_VM|CLONE_VFORK), so nothing of fatc's memory is copied and the cost
 * does not grow with fatc's heap. Each run gets its own session (POSIX_SPAWN_SETSID, as child_process's
 * `detached: true`: no controlling terminal, its pid is its pgid), every signal at its default and none blocked (Node
 * ignores SIGPIPE; the child must not inherit that), stdin from /dev/null, and its output in one pipe (stdout and
 * stderr both, when the job has no errLogFile: one descriptor a run) or two. Leaders are reaped from SIGCHLD.
 * fatc becomes the child subreaper of everything it starts: what leaves a run's group is re-parented to fatc, not to
 * PID 1, and reaped here (child-reaper.ts).
 */
export function createPosixEngine(libc: Libc): SpawnEngine {
	const reaper = new ChildReaper(libc);
	const pidOne = process.pid === 1;
	const subreaper = !pidOne && libc.setChildSubreaper() === 0;
	const adoption = pidOne ? 'fatc is PID 1 and reaps every orphan' : (subreaper
		? 'fatc is the child subreaper of its runs'
		: `fatc could not become child subreaper (${libc.errnoName(libc.errno())}): what leaves a run's group goes to PID 1`);
	const readers = pipeReaders();
	const spawner = new Spawner(libc, reaper, readers);
	return {
		name: 'posix',
		description: `posix_spawn through koffi (glibc ${libc.version}); ${adoption}; ${readers.description}`,
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

class Spawner {
	private readonly attributes = Buffer.alloc(constants.spawnAttributesSize);
	private readonly actions = Buffer.alloc(constants.fileActionsSize);
	private readonly environments: EnvironmentBlocks;
	private readonly pid = new Int32Array(1);
	private readonly descriptors = new Int32Array(2);

	constructor(
		private readonly libc: Libc,
		private readonly reaper: ChildReaper,
		private readonly readers: PipeReaders,
	) {
		this.environments = new EnvironmentBlocks(libc.koffi);
		libc.attributesInit(this.attributes);
		libc.attributesSetFlags(this.attributes, constants.spawnSetSid | constants.spawnSetSignalDefault | constants.spawnSetSignalMask);
		// Every bit, glibc's two internal signals included (sigfillset leaves them out, and the child would then exec with
		// them ignored; child_process leaves nothing ignored).
		libc.attributesSetSignalDefault(this.attributes, Buffer.alloc(constants.sigsetSize, 0xff));
		const none = Buffer.alloc(constants.sigsetSize);
		libc.signalEmptySet(none);
		libc.attributesSetSignalMask(this.attributes, none);
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

		const environment = this.environments.table(request.job, request.env);
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

		let result: number;
		try {
			result = this.spawn(file, argv, environment, request.cwd, output[1], errors[1]);
			if (result === constants.eNoExec) {
				// A script without a #! line: execvp (and so child_process) hands it to /bin/sh.
				result = this.spawn('/bin/sh', ['/bin/sh', file, ...request.args], environment, request.cwd, output[1], errors[1]);
			}
		} finally {
			this.libc.close(output[1]);
			if (!shared) {
				this.libc.close(errors[1]);
			}
		}

		if (result !== 0) {
			this.libc.close(output[0]);
			if (!shared) {
				this.libc.close(errors[0]);
			}

			throw spawnError(request.command, this.libc.errnoName(result));
		}

		const pid = this.pid[0]!;
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

		pipes[0]!.stream.once('end', suspect);
		pipes[0]!.stream.once('close', suspect);

		return {pid, pipes, onExit: this.followExit(pid)};
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

	private spawn(file: string, argv: string[], environment: BigUint64Array, cwd: string, stdout: number, stderr: number): number {
		const {libc, actions} = this;
		libc.fileActionsInit(actions);
		try {
			libc.fileActionsAddOpen(actions, 0, '/dev/null', constants.oRdonly, 0);
			libc.fileActionsAddDup2(actions, stdout, 1);
			libc.fileActionsAddDup2(actions, stderr, 2);
			libc.fileActionsAddChdir(actions, cwd);
			return libc.posixSpawn(this.pid, file, actions, this.attributes, [...argv, null], environment);
		} finally {
			libc.fileActionsDestroy(actions);
		}
	}
}

function spawnError(command: string, code: string): Error {
	return Object.assign(new Error(`spawn ${command} ${code}`), {code, syscall: `spawn ${command}`, path: command});
}
