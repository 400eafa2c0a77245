import assert from 'node:assert/strict';
import {test} from 'node:test';
import {clusterPauses} from '../../source/cluster/cluster-pauses.js';
import type {ClusterPause} from '../../source/core/snapshot.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {describeEvent} from '../../source/reporters/describe-event.js';
import {startRealSupervisor} from '../helpers/real-supervisor.js';
import {waitFor} from '../helpers/wait-for.js';

const pause: ClusterPause = {since: Date.UTC(2026, 0, 1), from: 'ops@web-1'};
const paused = new Map([['work', pause]]);
const none = new Map<string, ClusterPause>();

/** A real supervisor of one long-running job, wrapped by the cluster pauses as start-supervision.ts does it. */
async function setUp(t: Parameters<typeof startRealSupervisor>[0]) {
	const real = startRealSupervisor(t, [{name: 'work', model: 'independent', instances: 1, env: {RUN_SECONDS: '1000'}}]);
	const told: SupervisorEvent[] = [];
	const pauses = clusterPauses(event => told.push(event));
	const supervisor = pauses.keep(real.supervisor, real.supervisor);
	const job = () => supervisor.snapshot().jobs[0]!;
	await waitFor(() => job().runsTotal === 1, 'the first run', 20_000);
	return {...real, told, supervisor, job, apply: (current: ReadonlyMap<string, ClusterPause>) => pauses.apply(current, supervisor.snapshot())};
}

test('a cluster pause pauses the job (its run stopped), says who gave it, refuses a resume or restart by hand; lifted, the job runs again', async t => {
	const {supervisor, job, apply, started, told} = await setUp(t);
	assert.equal(job().clusterPause, null);
	apply(paused);
	assert.equal(job().paused, true);
	assert.deepEqual(job().clusterPause, pause);
	await waitFor(() => job().runsTotal === 0, 'the run stopped', 20_000);
	assert.throws(() => supervisor.resume('work'), /^Error: work: not resumed: it is paused across the cluster \(by ops@web-1\); "fatc cluster resume work" resumes it on every fatc of the key$/);
	assert.throws(() => supervisor.restart('work'), /work: not restarted: it is paused across the cluster/);
	assert.equal(job().paused, true);
	apply(paused);
	assert.equal(started().length, 1, 'the same pause read again changes nothing');

	apply(none);
	assert.equal(job().paused, false);
	assert.equal(job().clusterPause, null);
	await waitFor(() => job().runsTotal === 1 && started().length === 2, 'a new run after the cluster resume', 20_000);
	assert.deepEqual(told.map(event => describeEvent(event)), ['work: paused across the cluster by ops@web-1', 'work: cluster pause lifted, resumed']);
	supervisor.resume('work');
});

test('a pause by hand, before or during the cluster pause, stays once the cluster resumes', async t => {
	const {supervisor, job, apply, told} = await setUp(t);
	supervisor.pause('work');
	apply(paused);
	apply(none);
	assert.equal(job().paused, true, 'paused by hand before');
	supervisor.resume('work');
	assert.equal(job().paused, false);

	apply(paused);
	supervisor.pause('work');
	apply(none);
	assert.equal(job().paused, true, 'paused by hand during');
	assert.equal(job().clusterPause, null);
	assert.equal(describeEvent(told.at(-1)!), 'work: cluster pause lifted; it stays paused by hand ("fatc resume" resumes it)');
});

test('a cluster pause of a job this fatc does not have is left alone', async t => {
	const {job, apply} = await setUp(t);
	apply(new Map([['other', pause]]));
	assert.equal(job().paused, false);
	apply(none);
	assert.equal(job().paused, false);
});
