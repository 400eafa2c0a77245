import {EnvironmentBlocks} from './environment-block.js';
import {constants, type Libc} from './libc.js';

/** What one posix_spawn needs, in the terms of the table of the thread that calls it. */
export type SpawnCallRequest = {
	/** The job's name: the key of its cached environment table. */
	job: string;
	file: string;
	argv: string[];
	env: Record<string, string>;
	cwd: string;
	/** Write ends of the run's pipes (the same descriptor when stdout and stderr share one). */
	stdout: number;
	stderr: number;
};

/**
 * glibc's posix_spawn with fatc's attributes for every run: its own session (POSIX_SPAWN_SETSID, as child_process's
 * `detached: true`: no controlling terminal, its pid is its pgid), every signal at its default and none blocked (Node
 * ignores SIGPIPE; the child must not inherit that), stdin from /dev/null, stdout and stderr onto the given pipes, cwd.
 * Used by the main thread and by the spawner thread alike (spawn-thread-worker.ts): each holds its own.
 */
export class SpawnCall {
	private readonly attributes = Buffer.alloc(constants.spawnAttributesSize);
	private readonly actions = Buffer.alloc(constants.fileActionsSize);
	private readonly environments: EnvironmentBlocks;
	private readonly pid = new Int32Array(1);

	constructor(private readonly libc: Libc) {
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

	/**
	 * The child's pid, or an errno value (as a negative number) when it could not be started; throws on a NUL in the
	 * environment. A script without a #! line is handed to /bin/sh, as execvp (and so child_process) does.
	 */
	run(request: SpawnCallRequest): number {
		const environment = this.environments.table(request.job, request.env);
		let result = this.spawn(request.file, request.argv, environment, request);
		if (result === constants.eNoExec) {
			result = this.spawn('/bin/sh', ['/bin/sh', request.file, ...request.argv.slice(1)], environment, request);
		}

		return result === 0 ? this.pid[0]! : -result;
	}

	private spawn(file: string, argv: string[], environment: BigUint64Array, {cwd, stdout, stderr}: SpawnCallRequest): number {
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
