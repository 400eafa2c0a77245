import assert from 'node:assert/strict';
import {test} from 'node:test';
import {hostEntry, beatExpiry, staleAfter} from '../../source/cluster/fleet-view.js';
import {parseHostSummary, summarizeHost} from '../../source/cluster/host-summary.js';
import {formatClusterStatus} from '../../source/cli/format-cluster-status.js';
import {describeConditions} from '../../source/reporters/describe-condition.js';
import {epoch, makeJob, makeSnapshot, makeWorkers} from '../helpers/stub-handle.js';

const snapshot = makeSnapshot({
	name: 'site',
	pid: 4321,
	jobs: [
		makeJob({name: 'work', instances: 4, runs: 312, workers: makeWorkers(2), runsTotal: 3, held: {reason: 'load 2.6/cpu > 2', since: epoch}}),
		makeJob({name: 'invoices', instances: 1, runs: 5, paused: true, phase: 'paused', clusterPause: {since: epoch, from: 'deploy@web-1'}}),
		makeJob({name: 'mail', paused: true, phase: 'paused', clusterPause: null}),
	],
});

test('a snapshot becomes a small summary: runs under way (all of them, not a page), instances, started, held, paused and by whom', () => {
	assert.deepEqual(summarizeHost(snapshot, 'web-1'), {
		host: 'web-1',
		pid: 4321,
		name: 'site',
		startedAt: epoch,
		beatAt: epoch + 65_000,
		jobs: [
			{name: 'work', running: 3, instances: 4, started: 312, held: 'load 2.6/cpu > 2', paused: false, clusterPaused: false},
			{name: 'invoices', running: 0, instances: 1, started: 5, held: null, paused: true, clusterPaused: true},
			{name: 'mail', running: 0, instances: 1, started: 0, held: null, paused: true, clusterPaused: false},
		],
	});
});

test('a job with a cluster limit carries the leases this host holds for it', () => {
	const summary = summarizeHost(snapshot, 'web-1', job => (job === 'work' ? 2 : undefined));
	assert.deepEqual(summary.jobs.map(job => job.leases), [2, undefined, undefined]);
	assert.equal('leases' in summary.jobs[1]!, false);
	const text = formatClusterStatus({key: 'mysite', hosts: [hostEntry(summary, beatExpiry)], paused: []}, epoch + 65_000);
	assert.match(text, /\n {2}work {6}3\/4 running, 2 cluster leases, 312 started, held: load 2\.6\/cpu > 2\n/);
});

test('a summary reads back from its JSON; anything else is no summary', () => {
	const summary = summarizeHost(snapshot, 'web-1');
	assert.deepEqual(parseHostSummary(JSON.stringify(summary)), summary);
	assert.equal(parseHostSummary(null), undefined);
	assert.equal(parseHostSummary('not json'), undefined);
	assert.equal(parseHostSummary('{"host":"web-1"}'), undefined);
	assert.equal(parseHostSummary('null'), undefined);
});

test('a host\'s age comes from its key\'s time to live; stale once three beats are missed', () => {
	const summary = summarizeHost(snapshot, 'web-1');
	assert.deepEqual([hostEntry(summary, beatExpiry).ageMs, hostEntry(summary, beatExpiry).stale], [0, false]);
	assert.equal(hostEntry(summary, beatExpiry - staleAfter).stale, false);
	assert.equal(hostEntry(summary, beatExpiry - staleAfter - 1).stale, true);
	assert.equal(hostEntry(summary, beatExpiry - 2500).ageMs, 2500);
});

test('fatc cluster status lists each fatc with its age, its jobs, stale ones and the cluster pauses', () => {
	const web1 = hostEntry(summarizeHost(snapshot, 'web-1'), beatExpiry - 1200);
	const web2 = hostEntry({...summarizeHost(snapshot, 'web-2'), pid: 99, jobs: []}, beatExpiry - 9000);
	const text = formatClusterStatus({key: 'mysite', hosts: [web1, web2], paused: [{job: 'invoices', since: epoch, from: 'deploy@web-1'}]}, epoch + 125_000);
	const lines = text.trimEnd().split('\n');
	assert.equal(lines[0], 'cluster "mysite": 2 fatc on 2 hosts');
	assert.match(lines[1]!, /^HOST\s+NAME\s+PID\s+UP\s+LAST BEAT$/);
	assert.match(lines[2]!, /^web-1\s+site\s+4321\s+2m 05s\s+1\.2s ago$/);
	assert.equal(lines[3], '  work      3/4 running, 312 started, held: load 2.6/cpu > 2');
	assert.equal(lines[4], '  invoices  0/1 running, 5 started, paused (cluster)');
	assert.equal(lines[5], '  mail      0/1 running, 0 started, paused');
	assert.match(lines[6]!, /^web-2\s+site\s+99\s+2m 05s\s+9\.0s ago, stale \(gone 21s from now unless it beats\)$/);
	assert.match(lines[7]!, /^paused across the cluster: invoices since \d\d:\d\d by deploy@web-1$/);
	assert.equal(lines.length, 8);
});

test('fatc cluster status with no fatc beating says so', () => {
	assert.equal(formatClusterStatus({key: 'mysite', hosts: [], paused: []}, epoch), 'cluster "mysite": no fatc has beaten in the last 30s\n');
});

test('a cluster pause shows as a condition of the job (fatc status, the TUI) with where it came from', () => {
	const [conditions] = [describeConditions(snapshot.jobs[1]!, epoch)];
	assert.equal(conditions.length, 1);
	assert.match(conditions[0]!, /^paused across the cluster since \d\d:\d\d by deploy@web-1 \("fatc cluster resume invoices" lifts it\)$/);
	assert.deepEqual(describeConditions(snapshot.jobs[2]!, epoch), []);
});
