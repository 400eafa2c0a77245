import {constants as osConstants} from 'node:os';
import {ExitWatch} from './exit-watch.js';
import {constants, type Libc} from './libc.js';
import {hasLibuvChildren, isLibuvChild} from './libuv-children.js';
import {childrenOf} from './proc-stat.js';
import type {LeaderExit} from './spawn-engine.js';

/** A slow poll while leaders are followed: it keeps the loop alive (Node's SIGCHLD listener does not) and backs up the signal. */
const keepAliveInterval = 1000;

/** How long one turn of the event loop may spend reaping and reporting exits before it yields. */
const reapSliceMilliseconds = 10;

/** The most suspects still running that a SIGCHLD has waited for again by pid (collectSuspects); beyond, sweeps reap them. */
const waitAgainAtMost = 64;

/** The least time between two sweeps of all children (sweepWhenDue). */
const sweepSpacing = 20;

/**
 * Sweeps take at most 1/sweepDutyFactor of the time: each walks the kernel's list of all of fatc's children, ~1 ms
 * with 10,000 of them, and the suspects (waited for by pid, or watched by a pidfd) need none.
 */
const sweepDutyFactor = 50;

/** A burst of ends (moderate): burstExits or more within burstWindow ms, and no start. Then a pause of burstPause ms. */
const burstWindow = 20;
const burstExits = 5;
const burstPause = 15;
/**
 * SIGCHLD is listened to again once this long has passed without a burst's pause: the burst is over (quiet). No signal
 * is lost meanwhile that matters: a sweep follows at once.
 */
const quietAfter = 2 * burstWindow;
/** What Atomics.wait sleeps on: nothing ever wakes it, the timeout does. */
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

const signalNames = new Map<number, NodeJS.Signals>();
for (const [name, value] of Object.entries(osConstants.signals)) {
	// First name wins: 6 is SIGABRT, not SIGIOT; 29 is SIGIO, not SIGPOLL (as child_process names them).
	if (!signalNames.has(value)) {
		signalNames.set(value, name as NodeJS.Signals);
	}
}

/** A wait status → exit code or signal. */
export function decodeWaitStatus(status: number): LeaderExit {
	const signal = status & 0x7f;
	return signal === 0 ? {code: (status >> 8) & 0xff, signal: null} : {code: null, signal: signalNames.get(signal) ?? (`SIG${signal}` as NodeJS.Signals)};
}

/**
 * Reaps fatc's children from a SIGCHLD listener, never blocking: the leaders the posix_spawn engine started (their
 * exit is reported), and the orphans fatc adopts as child subreaper or PID 1 (reaped so that no zombie stays; a group
 * whose last members were such orphans is then seen empty by kill(-pgid, 0) at once).
 *
 * It never takes a status someone else waits for. libuv waits for the children child_process starts by their pids;
 * while one of those is alive, this reaper never calls waitpid(-1): it peeks at the next zombie child without reaping it (waitid with WNOWAIT),
 * and reaps that pid only when it is not a live ChildProcess's (libuv-children.ts follows them all through Node's
 * "child_process" diagnostics channel). While such a zombie waits for libuv (which reaps it in the same loop turn), it
 * would stay first in line, so the other children are then reaped one by one by pid from /proc/self/task/* /children.
 * What is left unclaimed is a child nobody in this process can wait for: spawnSync reaps its own before returning,
 * and fatc starts nothing from worker threads (their ChildProcesses would be unknown here).
 */
export class ChildReaper {
	/** Reaped orphans (children that were not the engine's leaders), for tests and diagnostics. */
	adoptedReaped = 0;
	private readonly leaders = new Map<number, (exit: LeaderExit) => void>();
	private readonly info = Buffer.alloc(constants.siginfoSize);
	private readonly status = new Int32Array(1);
	/** Leaders reaped and not yet reported, oldest first from `reported` on. */
	private readonly exits: Array<[(exit: LeaderExit) => void, LeaderExit]> = [];
	private reported = 0;
	/** Exits reported and leaders started lately (moderate). */
	private burst = {since: 0, exits: 0, starts: 0};
	private keepAlive: NodeJS.Timeout | undefined;
	private nextTurn: NodeJS.Immediate | undefined;
	/** Leaders whose output pipe ended, to wait for by pid in the next turn (waitpid(pid) costs the same for any N). */
	private readonly due = new Set<number>();
	/**
	 * Suspects waited for that had not exited yet (a pipe ends a moment before its writer is a zombie): watched by a
	 * pidfd each where the kernel has them, else in `waiting`.
	 */
	private readonly watch: ExitWatch | undefined;
	private readonly waiting = new Set<number>();
	/** A SIGCHLD came since the last turn: a waiting suspect may have exited. */
	private childSignalled = false;
	/** A SIGCHLD (or the keep-alive poll) asked for a sweep of every child that the suspects may not explain. */
	private sweepWanted = false;
	private sweptAt = Number.NEGATIVE_INFINITY;
	/** How long the last sweep took: the next waits at least sweepDutyFactor times that. */
	private sweepMilliseconds = 0;
	private sweepTimer: NodeJS.Timeout | undefined;
	/** Whether the SIGCHLD listener is on (off while runs end in a burst: quiet). */
	private listening = true;
	/** Turns the listener on again once a burst is over. */
	private quietTimer: NodeJS.Timeout | undefined;
	/** A burst of ends brings one SIGCHLD per child, several per loop turn: each asks for one turn, not one each. */
	private readonly onChildSignal = () => {
		this.sweepWanted = true;
		this.childSignalled = true;
		this.armTurn();
	};

	constructor(private readonly libc: Libc) {
		this.watch = ExitWatch.open(libc);
		process.on('SIGCHLD', this.onChildSignal);
	}

	/** The leader `pid`'s output ended: it has most likely exited, so it is reaped by pid in the next turn. */
	suspect(pid: number): void {
		if (this.leaders.has(pid)) {
			this.due.add(pid);
			this.armTurn();
		}
	}

	/** Calls `onExit` once, after the leader `pid` (a child the engine just started) exited and was reaped. */
	follow(pid: number, onExit: (exit: LeaderExit) => void): void {
		this.leaders.set(pid, onExit);
		this.window().starts++;
		// A start ends a burst: an exit that no pipe tells of (its output held by a process the run left) is then
		// known from its SIGCHLD again, not from the next sweep.
		this.listen();
		this.keepAlive ??= setInterval(() => {
			this.sweepWanted = true;
			this.childSignalled = true;
			this.turn();
		}, keepAliveInterval);
	}

	/** Whether `pid` is a leader not reaped yet (a live child of fatc whose group is its own pid). */
	isLeader(pid: number): boolean {
		return this.leaders.has(pid);
	}

	/**
	 * Reaps every child that has ended (but libuv's) now, so that kill(-pgid, 0) finds no zombie of fatc's; the
	 * leaders' exits are reported in the next turns.
	 */
	reap(): void {
		this.sweep(Number.POSITIVE_INFINITY);
		this.armTurn();
	}

	/**
	 * One slice of work: reaps and reports for at most reapSliceMilliseconds, then lets the loop serve sockets and
	 * timers before the next slice. Ten thousand runs ending at once are then handled over many turns, and a
	 * `fatc status` sent meanwhile waits for one slice, not for all of them.
	 */
	private turn(): void {
		this.nextTurn = undefined;
		const deadline = performance.now() + reapSliceMilliseconds;
		const more = this.collectSuspects(deadline) || this.sweepWhenDue(deadline);
		// Reported once the ended children are reaped: an orphan that died with its leader no longer holds the group.
		// At least one a turn, however long the reaping took.
		let count = 0;
		for (; this.reported < this.exits.length && (count === 0 || performance.now() < deadline); count++) {
			const [onExit, exit] = this.exits[this.reported++]!;
			onExit(exit);
		}

		this.moderate(count);

		if (this.reported === this.exits.length) {
			this.exits.length = 0;
			this.reported = 0;
		}

		if (more || this.exits.length > 0) {
			this.armTurn();
		}

		if (this.leaders.size === 0 && this.keepAlive !== undefined) {
			clearInterval(this.keepAlive);
			this.keepAlive = undefined;
		}
	}

	/**
	 * While runs end in a burst and none starts, a pause of a few milliseconds after each turn: the ends that come
	 * meanwhile are taken in together by the next turn (and the pipes' ends by one epoll_wait), instead of fatc waking
	 * for each (measured with 4,000 runs ending at once: 2.4 s of fatc's CPU instead of 3.9–4.7, the ends over sooner).
	 * Never while runs start: a restart waits on fatc's reaction, and a pause would be added to it.
	 *
	 * And no SIGCHLD listener until the burst is over (quiet): the kernel then drops the signal (its default action
	 * ignores it; zombies stay to be reaped), where each would wake fatc, in its pause too, ahead of the runs in its
	 * cpu cgroup. The pipes (suspect) and pidfds tell of the leaders' ends meanwhile; what only the signal would tell
	 * (an orphan adopted, a leader whose output another process holds) waits for the sweep that follows the burst.
	 */
	private moderate(reported: number): void {
		this.window().exits += reported;
		if (this.burst.exits >= burstExits && this.burst.starts === 0) {
			this.quiet();
			Atomics.wait(pauseCell, 0, 0, burstPause);
		}
	}

	private listen(): void {
		if (this.quietTimer !== undefined) {
			clearTimeout(this.quietTimer);
			this.quietTimer = undefined;
		}

		if (!this.listening) {
			this.listening = true;
			process.on('SIGCHLD', this.onChildSignal);
			// What ended unannounced while it was off.
			this.onChildSignal();
		}
	}

	private quiet(): void {
		if (this.listening) {
			this.listening = false;
			process.removeListener('SIGCHLD', this.onChildSignal);
		}

		if (this.quietTimer === undefined) {
			this.quietTimer = setTimeout(() => {
				this.quietTimer = undefined;
				this.listen();
			}, quietAfter).unref();
		} else {
			this.quietTimer.refresh();
		}
	}

	/** The counts of the current burstWindow (a new one once it is over). */
	private window(): {exits: number; starts: number} {
		const now = performance.now();
		if (now - this.burst.since > burstWindow) {
			this.burst = {since: now, exits: 0, starts: 0};
		}

		return this.burst;
	}

	private armTurn(): void {
		this.nextTurn ??= setImmediate(() => {
			this.turn();
		});
	}

	/**
	 * Reaps the suspects that have exited; true when the deadline passed first. Each is waited for by pid once; one
	 * that has not exited yet is watched by a pidfd, and waited for again once that says it has exited. Without
	 * pidfds, it is waited for again after the next SIGCHLD while there are few such (a run ending now and then: its
	 * exit reported at once), and otherwise left to the next sweep: with thousands ending at once, waiting again for
	 * each of them on every SIGCHLD would make the ends cost O(N²).
	 */
	private collectSuspects(deadline: number): boolean {
		// Quiet (a burst, no SIGCHLD listened to): every turn asks, as a signal would have made it.
		if (this.childSignalled || !this.listening) {
			this.childSignalled = false;
			if (this.watch !== undefined) {
				const {pids, more} = this.watch.exited();
				for (const pid of pids) {
					this.due.add(pid);
				}

				this.childSignalled = more;
			}

			if (this.waiting.size <= waitAgainAtMost) {
				for (const pid of this.waiting) {
					this.due.add(pid);
				}

				this.waiting.clear();
			}
		}

		for (const pid of this.due) {
			this.due.delete(pid);
			const reaped = this.libc.waitpid(pid, this.status, constants.wNoHang);
			if (reaped === pid) {
				this.record(pid);
			} else if (reaped === 0 && this.leaders.has(pid) && this.watch?.add(pid) !== true) {
				// It closed its output and runs on (or is exiting).
				this.waiting.add(pid);
			}

			// Below 0, ECHILD: reaped already (by a sweep).
			if (performance.now() >= deadline) {
				return this.due.size > 0 || this.childSignalled;
			}
		}

		return this.childSignalled;
	}

	/**
	 * A sweep walks the kernel's list of all of fatc's children, on every wait that finds no more: with thousands of
	 * runs ending, one per SIGCHLD would make the ends cost O(N²). So sweeps are at least sweepSpacing apart, and
	 * further while they are slow (sweepDutyFactor); the
	 * leaders whose output ended (nearly all) are reaped by pid meanwhile, and what a sweep finds later is a leader
	 * whose pipe another process still holds, or an adopted orphan.
	 */
	private sweepWhenDue(deadline: number): boolean {
		if (!this.sweepWanted) {
			return false;
		}

		const wait = this.sweptAt + Math.max(sweepSpacing, sweepDutyFactor * this.sweepMilliseconds) - performance.now();
		if (wait > 0) {
			this.sweepTimer ??= setTimeout(() => {
				this.sweepTimer = undefined;
				this.turn();
			}, wait);
			return false;
		}

		this.sweepWanted = false;
		this.sweptAt = performance.now();
		const more = this.sweep(deadline);
		this.sweepMilliseconds = performance.now() - this.sweptAt;
		this.sweepWanted ||= more;
		return more;
	}

	/** Reaps ended children until none is left (false) or the deadline has passed (true: there may be more). */
	private sweep(deadline: number): boolean {
		if (hasLibuvChildren()) {
			for (let pid = this.peek(); pid > 0; pid = this.peek()) {
				if (isLibuvChild(pid) || !this.collectOne(pid)) {
					this.collectEachChild();
					return false;
				}

				if (performance.now() >= deadline) {
					return true;
				}
			}

			return false;
		}

		// Nobody else waits for a child: one waitpid(-1) a child, as a C supervisor reaps (each wait walks the kernel's
		// list of fatc's children, so peeking first would cost twice as much with 10,000 runs).
		for (let pid = this.libc.waitpid(-1, this.status, constants.wNoHang); pid > 0; pid = this.libc.waitpid(-1, this.status, constants.wNoHang)) {
			this.record(pid);
			if (performance.now() >= deadline) {
				return true;
			}
		}

		return false;
	}

	/** The pid of some child that has ended, without reaping it; 0 when none has, -1 when there is no child (ECHILD). */
	private peek(): number {
		this.info.writeInt32LE(0, constants.siginfoPidOffset);
		const result = this.libc.waitid(constants.pAll, 0, this.info, constants.wExited | constants.wNoHang | constants.wNoWait);
		return result === 0 ? this.info.readInt32LE(constants.siginfoPidOffset) : -1;
	}

	/** Reaps `pid` if it has ended; false when it has not (or is not ours to wait for). */
	private collectOne(pid: number): boolean {
		if (this.libc.waitpid(pid, this.status, constants.wNoHang) !== pid) {
			return false;
		}

		this.record(pid);
		return true;
	}

	/** `pid` was just reaped into this.status: a leader's exit to report, or an adopted orphan. */
	private record(pid: number): void {
		this.due.delete(pid);
		this.waiting.delete(pid);
		this.watch?.forget(pid);
		const onExit = this.leaders.get(pid);
		if (onExit === undefined) {
			this.adoptedReaped++;
		} else {
			this.leaders.delete(pid);
			this.exits.push([onExit, decodeWaitStatus(this.status[0]!)]);
		}
	}

	private collectEachChild(): void {
		const pids = childrenOf('self') ?? [...this.leaders.keys()];
		for (const pid of pids) {
			if (!isLibuvChild(pid)) {
				this.collectOne(pid);
			}
		}
	}
}
