import {MessageChannel, receiveMessageOnPort, Worker} from 'node:worker_threads';
import type {SpawnCallRequest} from './posix-spawn-call.js';
import {controlBytes, slot, state} from './spawn-thread-protocol.js';

/**
 * Makes the thread act as if pidfd_getfd were refused once its table is its own, as a container's seccomp profile
 * refuses it without CAP_SYS_PTRACE: the one way to test that fallback on a machine that allows the call.
 */
export const refuseVariable = 'FATC_SPAWN_THREAD_REFUSE';

/**
 * A thread that spawns with a descriptor table of its own (spawn-thread-worker.ts). posix_spawn's child gets a copy
 * of its caller's table (clone without CLONE_FILES), and its exec closes every close-on-exec descriptor again: from
 * fatc's main thread, which holds a pipe for each run under way, a start costs O(runs under way), starting N runs
 * O(N²). From this thread, whose table holds a handful, it does not. The main thread waits for each spawn, as it waits
 * in posix_spawn itself: a start is as synchronous as before, only the table the child copies is small. Two thread
 * wake-ups a start are its cost, so the engine hands starts to it only while thousands of runs are under way.
 */
export class SpawnThread {
	private readonly words = new Int32Array(new SharedArrayBuffer(controlBytes));
	private readonly channel = new MessageChannel();
	private readonly worker: Worker;
	private unusable: string | undefined;
	private settle!: () => void;
	/** Resolves once it serves or has failed. */
	readonly settled = new Promise<void>(resolve => {
		this.settle = resolve;
	});

	/** Starts made through it. */
	starts = 0;

	/** `onFailure` is told once why it does not serve, or stopped serving. */
	constructor(onFailure?: (reason: string) => void) {
		const here = import.meta.url;
		const fromSource = here.endsWith('.ts');
		const script = new URL(`./spawn-thread-worker${fromSource ? '.ts' : '.js'}`, here);
		// Run from the .ts source (tests, benches) under tsx, whose loader Node 20 does not hand to worker threads
		// (nodejs/node#47747): the thread registers it itself before it loads the worker's source.
		const entry = fromSource
			? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(tsx => { tsx.register(); return import(${JSON.stringify(script.href)}); });`
			: script;
		this.worker = new Worker(entry, {
			eval: fromSource,
			workerData: {control: this.words.buffer, port: this.channel.port2, refuse: process.env[refuseVariable] === 'pidfd_getfd'},
			transferList: [this.channel.port2],
			stdout: false,
			stderr: false,
		});
		// It never keeps fatc alive; its port does until it has said whether it serves.
		this.worker.unref();
		let told = false;
		const fail = (reason: string) => {
			this.unusable ??= reason;
			if (!told) {
				told = true;
				onFailure?.(this.unusable);
			}
		};

		this.channel.port1.on('message', (message: {unusable?: string}) => {
			if (message.unusable !== undefined) {
				fail(message.unusable);
			}

			this.settle();
			this.channel.port1.unref();
		});
		this.worker.on('error', error => {
			this.unusable = error.message;
		});
		// It never ends while it serves, so an end is a failure (fatc's own exit does not get here). Its port's message
		// and its 'exit' come by different ways: the reason it posted before it ended may still be waiting.
		this.worker.on('exit', () => {
			Atomics.store(this.words, slot.ready, -1);
			Atomics.store(this.words, slot.state, state.dead);
			const posted = receiveMessageOnPort(this.channel.port1)?.message as {unusable?: string} | undefined;
			fail(posted?.unusable ?? 'it ended');
			this.settle();
		});
	}

	/** Whether it serves now (it starts in tens of milliseconds; the main thread spawns on its own meanwhile). */
	get ready(): boolean {
		return Atomics.load(this.words, slot.ready) === 1;
	}

	/** Why it does not serve, once known. */
	get failure(): string | undefined {
		return Atomics.load(this.words, slot.ready) === -1 ? this.unusable ?? 'unusable' : undefined;
	}

	/**
	 * Spawns `request` (its descriptors are the main thread's) in the thread; the pid, or minus an errno value.
	 * undefined when the thread stopped serving before it took the request (then nothing was started).
	 */
	spawn(request: SpawnCallRequest): number | undefined {
		const {words} = this;
		this.channel.port1.postMessage(request);
		Atomics.store(words, slot.state, state.requested);
		Atomics.notify(words, slot.state);
		for (;;) {
			const now = Atomics.load(words, slot.state);
			if (now === state.done) {
				Atomics.store(words, slot.state, state.idle);
				this.starts++;
				return words[slot.result];
			}

			if (now === state.dead) {
				return undefined;
			}

			Atomics.wait(words, slot.state, now, 1000);
		}
	}
}
