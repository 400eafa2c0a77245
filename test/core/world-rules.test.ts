import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseQuietWindow} from '../../source/config/quiet-window.js';
import type {BacklogSettings, HoldSettings, QuietSettings} from '../../source/core/job-definition.js';
import type {Effect, JobEvent} from '../../source/core/job-event.js';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots, notices, wakeAt} = JobHarness;

const loadHold: HoldSettings = {load: 2, release: 1.5, every: 1000, releaseAfter: 0, timeout: 1000};
const load = (average: number, cpus = 2): JobEvent => ({type: 'sensed', role: 'load', reading: {kind: 'load', average, cpus}});
const probe = (role: 'hold-probe' | 'backlog', code: number | null, output = '', error?: string): JobEvent =>
	({type: 'sensed', role, reading: {kind: 'probe', code, output, ...(error === undefined ? {} : {error})}});
const backlog = (count: number) => probe('backlog', 0, `${count}\n`);
const types = (effects: Effect[]) => notices(effects).map(notice => notice.type);

function backlogSettings(overrides: Partial<BacklogSettings> = {}): BacklogSettings {
	return {command: 'count', every: 1000, timeout: 1000, perRun: 10, min: 0, cooldown: 0, ...overrides};
}

test('hold on load: above the mark no new run starts, runs under way finish; at or below release they start again', () => {
	const job = new JobHarness({instances: 2, sleep: 0, hold: loadHold});
	job.exit(0, 64);
	assert.deepEqual(job.busySlots(), [0, 1]);
	const held = job.send(load(5.2));
	assert.deepEqual(notices(held), [{type: 'held', reason: 'load 2.6/cpu > 2'}]);
	assert.deepEqual(job.runningSlots(), [0, 1], 'no run under way is stopped');
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), [], 'no new start while held, even after exit 64');
	assert.deepEqual(spawnedSlots(job.send(load(3.6))), [], 'between release and the mark: still held (hysteresis)');
	const released = job.send(load(3));
	assert.deepEqual(types(released), ['released']);
	assert.deepEqual(spawnedSlots(released), [0]);
});

test('hold: releaseAfter keeps the hold until its cause has been clear that long', () => {
	const job = new JobHarness({instances: 1, sleep: 0, hold: {...loadHold, releaseAfter: 10_000}});
	job.send(load(5));
	job.exit(0, 0);
	job.now += 1000;
	assert.deepEqual(types(job.send(load(1))), [], 'clear, but not for long enough');
	job.now += 5000;
	job.send(load(3.5));
	job.now += 1000;
	assert.deepEqual(types(job.send(load(1))), [], 'the clear time starts again after the load rose');
	job.now += 10_000;
	const released = job.send(load(1));
	assert.deepEqual(types(released), ['released']);
	assert.deepEqual(spawnedSlots(released), [0]);
});

test('hold probe: exit 0 holds, 1 releases; a failing probe keeps its last answer and is said once', () => {
	const job = new JobHarness({instances: 1, sleep: 0, hold: {command: 'peak', every: 1000, releaseAfter: 0, timeout: 1000}});
	const failed = job.send(probe('hold-probe', 127));
	assert.deepEqual(notices(failed), [{type: 'sensor-failed', sensor: 'hold', message: 'exit status 127 (0 = hold, 1 = go on)'}]);
	job.exit(0, 0);
	assert.deepEqual(job.busySlots(), [0], 'a probe that never answered holds nothing');
	assert.deepEqual(types(job.send(probe('hold-probe', 0))), ['sensor-recovered', 'held']);
	assert.equal(job.state.world.heldSince, job.now);
	job.exit(0, 0);
	assert.deepEqual(job.busySlots(), []);
	assert.deepEqual(notices(job.send(probe('hold-probe', null, '', 'timed out after 1s'))), [{type: 'sensor-failed', sensor: 'hold', message: 'timed out after 1s'}]);
	assert.deepEqual(job.busySlots(), [], 'a probe that times out (an overloaded machine) does not release the hold');
	assert.deepEqual(types(job.send(probe('hold-probe', 2))), [], 'a second failure is not said again');
	const released = job.send(probe('hold-probe', 1));
	assert.deepEqual(types(released), ['sensor-recovered', 'released']);
	assert.deepEqual(job.busySlots(), [0]);
});

test('a trigger (a person) starts a run through a hold; a wake (new work) does not', () => {
	const job = new JobHarness({instances: 2, sleep: 60_000, hold: loadHold});
	job.exit(0, 0);
	job.send(load(9));
	assert.deepEqual(spawnedSlots(job.send({type: 'sensed', role: 'wake', reading: {kind: 'file'}})), []);
	assert.deepEqual(spawnedSlots(job.send({type: 'trigger'})), [0]);
});

test('backlog: the fan-out follows ceil(count / perRun) within min…max, never above instances', () => {
	const job = new JobHarness({instances: 4, sleep: 60_000, backlog: backlogSettings()});
	job.exit(0, 0);
	assert.deepEqual(spawnedSlots(job.send(backlog(25))), [0, 1, 2], 'ceil(25 / 10) = 3 at once, whatever sleep says');
	assert.equal(job.state.allowed, 3);
	assert.deepEqual(notices(job.send(backlog(200))), [{type: 'backlog', count: 200, from: 3, to: 4}]);
	assert.deepEqual(job.busySlots(), [0, 1, 2, 3]);
	job.send(backlog(0));
	assert.deepEqual(job.runningSlots(), [0, 1, 2, 3], 'scale-down never kills a busy run');
	job.exit(3, 64);
	assert.deepEqual(job.busySlots(), [0, 1, 2, 3], 'exit 64 still means more: a fresher reading than the probe\'s');
	job.exit(3, 0);
	job.exit(2, 0);
	assert.deepEqual(job.busySlots(), [0, 1], 'done says nothing waits: no new start');
});

test('backlog: 0 starts nothing; the first work starts a run at once, past the cooldown; then step per cooldown', () => {
	const job = new JobHarness({instances: 8, sleep: 5000, backlog: backlogSettings({step: 2, cooldown: 10_000, perRun: 1})});
	job.send(backlog(0));
	job.exit(0, 0);
	job.now += 60_000;
	assert.deepEqual(spawnedSlots(job.send({type: 'tick'})), [], 'the sleep is over, but nothing waits');
	job.now += 100;
	assert.deepEqual(spawnedSlots(job.send(backlog(50))), [0, 1], 'from 0, at once and by one step');
	job.now += 5000;
	assert.deepEqual(spawnedSlots(job.send(backlog(50))), [], 'within the cooldown');
	job.now += 5000;
	assert.deepEqual(spawnedSlots(job.send(backlog(50))), [2, 3], 'one step more');
});

test('backlog: a failing probe falls back to the exit statuses alone, said once, and a good answer takes over again', () => {
	const job = new JobHarness({instances: 2, sleep: 5000, backlog: backlogSettings()});
	job.send(backlog(0));
	job.exit(0, 0);
	const failed = job.send(probe('backlog', 0, 'ERROR: relation "emails" does not exist'));
	assert.deepEqual(notices(failed), [{type: 'sensor-failed', sensor: 'backlog', message: 'printed no number: "ERROR: relation "emails" does not exist"'}]);
	assert.equal(job.state.world.backlog.count, undefined);
	assert.deepEqual(types(job.send(probe('backlog', 2, '', 'exit status 2'))), []);
	assert.deepEqual(spawnedSlots(job.advance(5000)), [0], 'today\'s behaviour: the sleep ends, a run starts');
	assert.deepEqual(types(job.send(backlog(3))), ['sensor-recovered', 'backlog']);
});

test('independent with a backlog: the target caps the slots that loop', () => {
	const job = new JobHarness({model: 'independent', instances: 4, sleep: 1000, backlog: backlogSettings()});
	assert.deepEqual(job.busySlots(), [0, 1, 2, 3]);
	job.send(backlog(15));
	for (const slot of [0, 1, 2, 3]) {
		job.exit(slot, 64);
	}

	assert.deepEqual(job.busySlots(), [0, 1]);
});

test('wake: a touched file ends the sleep after done at once, never an error back-off', () => {
	const job = new JobHarness({instances: 1, sleep: 60_000, sleepOnError: 60_000});
	const wake: JobEvent = {type: 'sensed', role: 'wake', reading: {kind: 'file'}};
	job.exit(0, 0);
	const woken = job.send(wake);
	assert.deepEqual(types(woken), ['woken']);
	assert.deepEqual(spawnedSlots(woken), [0]);
	job.exit(0, 1);
	assert.deepEqual(spawnedSlots(job.send(wake)), [], 'an error back-off holds');
});

test('wake with a backlog probe: a touch counts as work waiting, so a run starts although the last count was 0', () => {
	const job = new JobHarness({instances: 4, sleep: 60_000, backlog: backlogSettings({perRun: 20})});
	job.send(backlog(0));
	job.exit(0, 0);
	const woken = job.send({type: 'sensed', role: 'wake', reading: {kind: 'file'}});
	assert.deepEqual(spawnedSlots(woken), [0]);
	assert.deepEqual(notices(woken).map(notice => notice.type), ['woken', 'backlog']);
});

test('wake: a run under way when the wake came that ends done does not sleep (it may have missed the work)', () => {
	const job = new JobHarness({instances: 1, sleep: 60_000});
	job.now += 10;
	job.send({type: 'sensed', role: 'wake', reading: {kind: 'file'}});
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), [0]);
	job.now += 10;
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), [], 'a run started after the wake sleeps as usual');
});

test('wake: independent slots sleeping after done wake; fixed starts its due run now', () => {
	const independent = new JobHarness({model: 'independent', instances: 2, sleep: 60_000});
	independent.exit(0, 0);
	independent.exit(1, 3);
	assert.deepEqual(spawnedSlots(independent.send({type: 'sensed', role: 'wake', reading: {kind: 'file'}})), [0]);
	const fixed = new JobHarness({model: 'fixed', instances: 1, sleep: 60_000});
	fixed.exit(0, 0);
	fixed.now += 1000;
	assert.deepEqual(spawnedSlots(fixed.send({type: 'sensed', role: 'wake', reading: {kind: 'file'}})), [0]);
});

const berlin = (iso: string) => new Date(`${iso}+01:00`).getTime();

function quietSettings(windows: string[], instances = 0): QuietSettings {
	return {windows: windows.map(text => parseQuietWindow(text)!), instances, timezone: 'Europe/Berlin'};
}

test('quiet hours on a fake clock: no new run inside a window, and the job looks again when it closes', () => {
	// Tuesday 2026-12-01, 07:59:30 in Berlin.
	const job = new JobHarness({instances: 1, sleep: 0, warnAfter: 0, quiet: quietSettings(['Mon-Fri 08:00-10:00'])}, {now: berlin('2026-12-01T07:59:30')});
	assert.deepEqual(job.busySlots(), [0]);
	const start = job.advance(30_000);
	assert.deepEqual(notices(start), [{type: 'quiet', until: berlin('2026-12-01T10:00:00'), instances: 0}]);
	const ended = job.exit(0, 0);
	assert.deepEqual(spawnedSlots(ended), []);
	assert.equal(wakeAt(ended), berlin('2026-12-01T10:00:00'), 'it looks again when the window closes');
	job.now = berlin('2026-12-01T10:00:00');
	const end = job.send({type: 'tick'});
	assert.deepEqual(types(end), ['quiet-ended']);
	assert.deepEqual(spawnedSlots(end), [0]);
});

test('quiet hours with instances: at most that many runs inside; a weekend window leaves weekdays alone', () => {
	const quiet = quietSettings(['12:00-13:00'], 1);
	const job = new JobHarness({model: 'independent', instances: 3, sleep: 0, quiet}, {now: berlin('2026-12-01T12:30:00')});
	assert.deepEqual(job.busySlots(), [0]);
	const weekend = new JobHarness({instances: 1, warnAfter: 0, quiet: quietSettings(['Sat,Sun 00:00-23:59'])}, {now: berlin('2026-12-01T12:30:00')});
	assert.deepEqual(weekend.busySlots(), [0]);
	assert.equal(wakeAt(weekend.effects), berlin('2026-12-05T00:00:00'), 'the job looks again when the window opens');
});

test('a reload that removes the hold releases the job at once', () => {
	const job = new JobHarness({instances: 1, sleep: 0, hold: loadHold});
	job.send(load(9));
	job.exit(0, 0);
	const released = job.send({type: 'redefine', definition: {...job.state.definition, hold: undefined}});
	assert.deepEqual(types(released), ['released']);
	assert.deepEqual(spawnedSlots(released), [0]);
});
