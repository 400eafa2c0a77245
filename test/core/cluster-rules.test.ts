import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Effect} from '../../source/core/job-event.js';
import {snapshotJob} from '../../source/core/snapshot.js';
import {conditionWord, describeConditions} from '../../source/reporters/describe-condition.js';
import {JobHarness} from '../helpers/job-harness.js';

/* The cluster gate's rules (cluster-gate.ts): starts wait for leases, ends give them back, expiring ones fence. */

const ofType = <Type extends Effect['type']>(effects: Effect[], type: Type) =>
	effects.filter((effect): effect is Extract<Effect, {type: Type}> => effect.type === type);

test('a cluster-limited job starts nothing until leased, one run per lease, with its cluster slot', () => {
	const job = new JobHarness({model: 'independent', instances: 3, sleep: 0, cluster: {instances: 2}});
	assert.deepEqual(job.busySlots(), []);
	assert.deepEqual(ofType(job.effects, 'want-leases').at(-1), {type: 'want-leases', limit: 2, count: 3});
	const started = job.send({type: 'leased', lease: {slot: 1, token: 'a'}});
	assert.deepEqual(ofType(started, 'spawn'), [{type: 'spawn', runId: 1, slot: 0, clusterSlot: 1}]);
	// Still 2 asked for beyond what it holds: no new want.
	assert.deepEqual(ofType(started, 'want-leases'), []);
	assert.equal(job.state.cluster?.wanting, 2);
	job.send({type: 'leased', lease: {slot: 0, token: 'b'}});
	assert.deepEqual(job.busySlots(), [0, 1]);
});

test('a run that ends hands its lease to the next start at once, or gives it back', () => {
	const job = new JobHarness({model: 'independent', instances: 1, sleep: 0, cluster: {instances: 1}});
	job.send({type: 'leased', lease: {slot: 0, token: 'a'}});
	const looped = job.exit(0, 64);
	assert.deepEqual(ofType(looped, 'spawn').map(effect => effect.clusterSlot), [0]);
	assert.deepEqual(ofType(looped, 'release-lease'), []);
	assert.equal(job.state.runs[0]?.lease?.token, 'a');
	job.send({type: 'pause'});
	const ended = job.exit(0, null, 'SIGTERM');
	assert.deepEqual(ofType(ended, 'release-lease'), [{type: 'release-lease', lease: {slot: 0, token: 'a'}}]);
	assert.deepEqual(ofType(ended, 'spawn'), []);
});

test('an expiring lease stops its run in time: stopSignal with the time left, then SIGKILL', () => {
	const job = new JobHarness({model: 'independent', instances: 1, sleep: 0, stopTimeout: 30_000, cluster: {instances: 1}});
	job.send({type: 'leased', lease: {slot: 0, token: 'a'}});
	const fenced = job.send({type: 'lease-expiring', token: 'a', deadline: job.now + 4000, kill: false});
	assert.deepEqual(ofType(fenced, 'stop'), [{type: 'stop', runId: 1, signal: 'SIGTERM', timeout: 4000}]);
	const killed = job.send({type: 'lease-expiring', token: 'a', deadline: job.now, kill: true});
	assert.deepEqual(ofType(killed, 'stop'), [{type: 'stop', runId: 1, signal: 'SIGKILL', timeout: 0}]);
	assert.equal(job.state.runs[0]?.stopReason, 'fenced');
});

test('Redis unreachable and back: one notice each way', () => {
	const job = new JobHarness({model: 'independent', instances: 1, cluster: {instances: 1}});
	const gone = job.send({type: 'cluster-reachable', reachable: false, reason: 'Redis at unix:///x: closed'});
	assert.deepEqual(ofType(gone, 'notify').map(effect => effect.notice), [{type: 'cluster-unreachable', reason: 'Redis at unix:///x: closed'}]);
	assert.deepEqual(ofType(job.send({type: 'cluster-reachable', reachable: false, reason: 'again'}), 'notify'), []);
	assert.deepEqual(ofType(job.send({type: 'cluster-reachable', reachable: true}), 'notify').map(effect => effect.notice), [{type: 'cluster-reachable'}]);
});

test('once: ticks on multiples of the interval, each claimed first; a lost claim skips the tick', () => {
	const job = new JobHarness({model: 'fixed', instances: 1, sleep: 1000, cluster: {once: true}}, {now: 1_000_500});
	assert.deepEqual(ofType(job.effects, 'claim-tick'), []);
	const due = job.advance(500);
	assert.deepEqual(ofType(due, 'claim-tick'), [{type: 'claim-tick', tick: 1_001_000, keepFor: 60_000}]);
	assert.deepEqual(ofType(due, 'spawn'), []);
	assert.deepEqual(ofType(job.send({type: 'tick-claimed', tick: 1_001_000, won: true}), 'spawn').length, 1);
	job.exit(0, 0);
	const next = job.advance(1000);
	assert.deepEqual(ofType(next, 'claim-tick').map(effect => effect.tick), [1_002_000]);
	const lost = job.send({type: 'tick-claimed', tick: 1_002_000, won: false});
	assert.deepEqual(ofType(lost, 'spawn'), []);
	assert.deepEqual(ofType(job.advance(1000), 'claim-tick').map(effect => effect.tick), [1_003_000]);
});

test('a fenced run\'s lease is given back at its end, never handed to the next start', () => {
	const job = new JobHarness({model: 'independent', instances: 1, sleep: 0, cluster: {instances: 1}});
	job.send({type: 'leased', lease: {slot: 0, token: 'a'}});
	job.send({type: 'lease-expiring', token: 'a', deadline: job.now, kill: true});
	const ended = job.exit(0, null, 'SIGKILL');
	assert.deepEqual(ofType(ended, 'release-lease'), [{type: 'release-lease', lease: {slot: 0, token: 'a'}}]);
	assert.deepEqual(ofType(ended, 'spawn'), []);
	assert.deepEqual(ofType(ended, 'want-leases'), [{type: 'want-leases', limit: 1, count: 1}]);
});

test('the snapshot, the STATE word and the status line say a run waits for a lease, or that Redis is away', () => {
	const job = new JobHarness({model: 'independent', instances: 3, sleep: 0, cluster: {instances: 2}});
	const waiting = snapshotJob(job.state, new Map());
	assert.deepEqual(waiting.cluster, {instances: 2, waiting: 3, unreachable: null});
	assert.equal(conditionWord(waiting), 'lease');
	assert.deepEqual(describeConditions(waiting, job.now), ['3 runs wait for a cluster lease (at most 2 across the cluster)']);
	job.send({type: 'cluster-reachable', reachable: false, reason: 'Redis at unix:///x: closed'});
	const away = snapshotJob(job.state, new Map());
	assert.equal(conditionWord(away), 'redis?');
	assert.deepEqual(describeConditions(away, job.now), ['no new run starts until Redis is back: Redis at unix:///x: closed']);
	const local = snapshotJob(new JobHarness({model: 'independent', instances: 1}).state, new Map());
	assert.equal(local.cluster, undefined);
	assert.equal(conditionWord(local), '');
});
