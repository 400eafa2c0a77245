import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {mock, test, type TestContext} from 'node:test';
import {ChildReaper} from '../../source/driver/child-reaper.js';
import type {Libc} from '../../source/driver/libc.js';
import type {LeaderExit} from '../../source/driver/spawn-engine.js';
import {waitFor} from '../helpers/wait-for.js';

/**
 * The kernel's side of waitpid for the reaper, without processes: `end(pid)` makes a zombie; waitpid(pid) reaps that
 * one, waitpid(-1) any (what each call costs is counted, not timed). No child_process child exists in this file, so
 * the reaper takes the waitpid(-1) path for its sweeps.
 */
class FakeChildren {
	readonly zombies = new Set<number>();
	/** Each sweep (the waitpid(-1) calls of one loop turn): from its first call's start to its last call's end. */
	readonly sweeps: Array<{start: number; end: number}> = [];
	reapedByPid = 0;
	reapedBySweep = 0;
	/** waitpid(pid) calls, whatever they returned. */
	waitsByPid = 0;
	/** A busy wait in each waitpid, so that reaping takes time a slice can run out of. */
	costMilliseconds = 0;
	/** Called after each reap by pid. */
	onReapedByPid: (() => void) | undefined;
	private inSweep = false;
	/** With `withPidfds()`: the pids watched through a made-up pidfd each (descriptor = pid + 100,000). */
	readonly watched = new Set<number>();

	/** Gives the libc pidfds and epoll, as Linux ≥ 5.3 has: the reaper then watches its suspects instead of polling. */
	withPidfds(): this {
		const eventSize = 12;
		Object.assign(this.libc, {
			epollCreate: () => 99,
			pidfdOpen: (pid: number) => pid + 100_000,
			epollControl: () => 0,
			epollWait: (_epoll: number, events: Buffer, maximum: number) => {
				const ready = [...this.watched].filter(pid => this.zombies.has(pid)).slice(0, maximum);
				for (const [index, pid] of ready.entries()) {
					events.writeInt32LE(pid, index * eventSize + (process.arch === 'x64' ? 4 : 8));
				}

				return ready.length;
			},
			close: (descriptor: number) => {
				this.watched.delete(descriptor - 100_000);
				return 0;
			},
		});
		const open = this.libc.pidfdOpen;
		this.libc.pidfdOpen = (pid: number) => {
			this.watched.add(pid);
			return open(pid);
		};

		return this;
	}

	readonly libc = {
		// Peeks (waitid with WNOWAIT) are for a process with child_process children, as one of these tests has for a
		// while (execFile): a sweep a reaper of another test makes then finds no child of these made-up ones.
		waitid: () => -1,
		waitpid: (pid: number, status: Int32Array) => {
			const calledAt = performance.now();
			const end = calledAt + this.costMilliseconds;
			while (performance.now() < end) {
				// The cost of the call.
			}

			status[0] = 0;
			if (pid === -1) {
				if (!this.inSweep) {
					this.inSweep = true;
					this.sweeps.push({start: calledAt, end: calledAt});
					// A sweep is the calls of one turn: one cut short by its deadline ends with the turn too.
					queueMicrotask(() => {
						this.inSweep = false;
					});
				}

				this.sweeps.at(-1)!.end = performance.now();
				const [zombie] = this.zombies;
				if (zombie === undefined) {
					this.inSweep = false;
					return 0;
				}

				this.zombies.delete(zombie);
				this.reapedBySweep++;
				return zombie;
			}

			this.waitsByPid++;
			if (!this.zombies.delete(pid)) {
				return 0;
			}

			this.reapedByPid++;
			this.onReapedByPid?.();
			return pid;
		},
	} as unknown as Libc;
}

function follow(reaper: ChildReaper, pids: number[]): Map<number, LeaderExit> {
	const exits = new Map<number, LeaderExit>();
	for (const pid of pids) {
		reaper.follow(pid, exit => {
			assert.equal(exits.has(pid), false, `pid ${pid} reported once`);
			exits.set(pid, exit);
		});
	}

	return exits;
}

/** A reaper on fake children whose keep-alive poll (a sweep once a second) never fires: only what the test does reaps. */
function withoutKeepAlive(t: TestContext, children = new FakeChildren()): {children: FakeChildren; reaper: ChildReaper} {
	mock.timers.enable({apis: ['setInterval']});
	t.after(() => {
		mock.timers.reset();
	});
	return {children, reaper: new ChildReaper(children.libc)};
}

const range = (from: number, count: number) => Array.from({length: count}, (_, index) => from + index);

test('reaper: a leader whose output ended is reaped by its pid, with no sweep of all children', async t => {
	// Only the suspects' hint can reap them here.
	const {children, reaper} = withoutKeepAlive(t);
	const pids = range(1000, 300);
	const exits = follow(reaper, pids);
	for (const pid of pids) {
		children.zombies.add(pid);
		reaper.suspect(pid);
	}

	await waitFor(() => exits.size === pids.length, 'all 300 exits reported');
	assert.equal(children.reapedByPid, 300);
	assert.deepEqual(children.sweeps, [], 'no waitpid(-1)');
	assert.deepEqual([...exits.values()][0], {code: 0, signal: null});
});

test('reaper: a burst of SIGCHLDs sweeps all children at most once every 20 ms, and loses no exit', async () => {
	const children = new FakeChildren();
	const reaper = new ChildReaper(children.libc);
	const pids = range(2000, 300);
	const exits = follow(reaper, pids);
	// One child ends per loop turn, each with its SIGCHLD, and no pipe hint: only sweeps find them.
	for (const pid of pids) {
		children.zombies.add(pid);
		process.emit('SIGCHLD', 'SIGCHLD');
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	await waitFor(() => exits.size === pids.length, 'all 300 exits reported');
	assert.equal(children.reapedBySweep, 300);
	const starts = children.sweeps.map(({start}) => start);
	const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
	assert.ok(gaps.every(gap => gap >= 19), `sweeps at least 20 ms apart; gaps ${gaps.map(gap => gap.toFixed(1)).join(', ')} ms`);
	assert.ok(starts.length < 300, `${starts.length} sweeps for 300 SIGCHLDs`);
});

test('reaper: a slow sweep spaces the next by 50 times what it took (sweeps ≤ 2 % of the time), not just by 20 ms', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	// Each waitpid costs 2 ms: a sweep that reaps one child and finds no other takes ≥ 4 ms, so the next waits ≥ 200 ms.
	children.costMilliseconds = 2;
	const pids = range(2500, 4);
	const exits = follow(reaper, pids);
	for (const pid of pids) {
		children.zombies.add(pid);
		process.emit('SIGCHLD', 'SIGCHLD');
		await waitFor(() => exits.has(pid), `the exit of ${pid}`);
	}

	assert.equal(children.reapedBySweep, 4);
	// Each sweep costs ≥ 2 ms (one waitpid at least), more under load: the next waits 50 times what the last took.
	const {sweeps} = children;
	assert.ok(sweeps.length >= 2, `${sweeps.length} sweeps`);
	const spacing = sweeps.slice(1).map((sweep, index) => ({gap: sweep.start - sweeps[index]!.start, took: sweeps[index]!.end - sweeps[index]!.start}));
	assert.ok(spacing.every(({gap, took}) => gap >= 50 * took - 1 && gap >= 99), `gaps ≥ 50 × the sweep before: ${spacing.map(({gap, took}) => `${gap.toFixed(1)} after ${took.toFixed(1)}`).join(', ')} ms`);
});

test('reaper: reaping a burst of ends takes slices of the loop, so a timer set meanwhile runs before the last is reaped', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	const pids = range(3000, 200);
	const exits = follow(reaper, pids);
	children.costMilliseconds = 1;
	// 200 reaps of 1 ms each: 200 ms of work, done in slices of 10 ms with the loop served between them. A timer set
	// at the first reap runs at the end of a slice, not after all of them.
	let reapedWhenTimerRan: number | undefined;
	children.onReapedByPid = () => {
		children.onReapedByPid = undefined;
		setTimeout(() => {
			reapedWhenTimerRan = children.reapedByPid;
		}, 0);
	};
	for (const pid of pids) {
		children.zombies.add(pid);
		reaper.suspect(pid);
	}

	await waitFor(() => exits.size === pids.length, 'all 200 exits reported');
	assert.ok(reapedWhenTimerRan !== undefined && reapedWhenTimerRan < pids.length, `the timer ran after ${reapedWhenTimerRan} of 200 reaps`);
});

test('reaper: SIGCHLDs arriving in one loop turn make one turn of reaping, not one each', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	const pids = range(4000, 40);
	const exits = follow(reaper, pids);
	// 40 runs whose output ended a moment before they exit: waited for by pid once, not zombies yet.
	for (const pid of pids) {
		reaper.suspect(pid);
	}

	await waitFor(() => children.waitsByPid === 40, 'each suspect waited for once');
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	assert.equal(children.waitsByPid, 40, 'and not again without a SIGCHLD');
	// They exit one after the other, each with its SIGCHLD, all within one loop turn (as a burst of ends delivers them).
	for (const pid of pids) {
		children.zombies.add(pid);
		process.emit('SIGCHLD', 'SIGCHLD');
	}

	await waitFor(() => exits.size === pids.length, 'all 40 exits reported');
	// One pass over the 40 waiting suspects (and the sweep finds none left): 80 waits, not 40 × 40.
	assert.equal(children.waitsByPid, 80);
	assert.equal(children.reapedByPid, 40);
});

test('reaper: past 64 suspects still running, a SIGCHLD leaves them to the sweep instead of waiting for each again', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	const pids = range(5000, 100);
	const exits = follow(reaper, pids);
	for (const pid of pids) {
		reaper.suspect(pid);
	}

	await waitFor(() => children.waitsByPid === 100, 'each suspect waited for once');
	for (const pid of pids) {
		children.zombies.add(pid);
		process.emit('SIGCHLD', 'SIGCHLD');
	}

	await waitFor(() => exits.size === pids.length, 'all 100 exits reported');
	assert.equal(children.waitsByPid, 100, 'no second wait by pid');
	assert.equal(children.reapedBySweep, 100);
});

test('reaper: with pidfds, suspects still running are watched, and reaped by pid when their pidfd says they exited, with no sweep needed', async t => {
	const {children, reaper} = withoutKeepAlive(t, new FakeChildren().withPidfds());
	const pids = range(6000, 100);
	const exits = follow(reaper, pids);
	for (const pid of pids) {
		reaper.suspect(pid);
	}

	await waitFor(() => children.watched.size === 100, 'each suspect watched');
	for (const pid of pids) {
		children.zombies.add(pid);
		process.emit('SIGCHLD', 'SIGCHLD');
	}

	await waitFor(() => exits.size === pids.length, 'all 100 exits reported');
	assert.equal(children.reapedByPid, 100, 'each by its pid');
	assert.equal(children.waitsByPid, 200, 'once when its output ended, once when it had exited');
	assert.equal(children.watched.size, 0, 'every pidfd closed');
});

test('reaper: a burst of ends while no run starts pauses the loop a few ms after the turn, so the next ones come in together', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	const pauses = t.mock.method(Atomics, 'wait', () => 'timed-out' as const);
	const pids = range(7000, 10);
	const exits = follow(reaper, pids);
	// The starts above are out of the burst's window once it is over (20 ms).
	const startedAt = performance.now();
	await waitFor(() => performance.now() - startedAt > 25, 'the starts to be out of the window');
	assert.equal(pauses.mock.callCount(), 0, 'no pause before any end');
	for (const pid of pids) {
		children.zombies.add(pid);
		reaper.suspect(pid);
	}

	await waitFor(() => exits.size === pids.length, 'all 10 exits reported');
	assert.ok(pauses.mock.callCount() >= 1, 'a pause after the turn that reported them');
	assert.equal(pauses.mock.calls[0]!.arguments[3], 15, 'of 15 ms');
});

test('reaper: ends that each start a run (a restart loop) never pause, however many come within the burst window', async t => {
	const {children, reaper} = withoutKeepAlive(t);
	const pauses = t.mock.method(Atomics, 'wait', () => 'timed-out' as const);
	// Each end starts the next run at once, and that one ends in the next turn: hundreds of ends within 20 ms.
	let next = 50_000;
	let restarts = 0;
	const restart = () => {
		const pid = next++;
		reaper.follow(pid, () => {
			restarts++;
			if (restarts < 300) {
				restart();
			}
		});
		setImmediate(() => {
			children.zombies.add(pid);
			reaper.suspect(pid);
		});
	};

	restart();
	await waitFor(() => restarts === 300, '300 restarts');
	assert.equal(pauses.mock.callCount(), 0, 'no pause while runs start');
});

test('reaper: while runs end in a burst the kernel drops SIGCHLD (no listener); after it, the listener is back and a sweep reaps what ended unannounced', async () => {
	// A process of its own: the other tests' reapers keep listeners in this one.
	const {stdout} = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('../fixtures/reaper-quiet.mjs', import.meta.url))]);
	assert.deepEqual(JSON.parse(stdout), {before: true, during: false, after: true, orphanReaped: true});
});
