import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type {Snapshot} from '../../source/core/snapshot.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {createMetrics} from '../../source/metrics/create-metrics.js';
import {makeJob, makeSnapshot} from '../helpers/stub-handle.js';

/** The metrics of a stand-in supervisor whose snapshot and events the test sets. */
function metricsOf(snapshot: () => Snapshot) {
	let listener: (event: SupervisorEvent) => void = () => {};
	const metrics = createMetrics({
		snapshot,
		subscribe(added) {
			listener = added;
			return () => {
				listener = () => {};
			};
		},
	});
	const ended = (job: string, result: 'done' | 'more' | 'error' | 'stopped', duration: number) => {
		listener({time: 0, job, type: 'run-ended', runId: 1, slot: 0, pid: 1, result, code: 0, signal: null, duration, startedAt: 0});
	};

	return {metrics, ended};
}

test('metrics text: a job removed from the snapshot loses every series; a job added gets them at 0', async () => {
	let jobs = [makeJob({name: 'stays', instances: 2, allowed: 2}), makeJob({name: 'goes'})];
	const {metrics, ended} = metricsOf(() => makeSnapshot({jobs}));
	ended('goes', 'error', 1500);
	ended('stays', 'more', 20);
	assert.match(await metrics.text(), /fatc_runs_total\{job_name="goes",result="error"\} 1\n/);
	assert.match(await metrics.text(), /fatc_run_duration_seconds_bucket\{le="2.5",job_name="goes"\} 1\n/);
	jobs = [makeJob({name: 'stays', instances: 2, allowed: 2, paused: true}), makeJob({name: 'new', backlog: {count: 12, target: 1, failed: null}})];
	const text = await metrics.text();
	assert.doesNotMatch(text, /"goes"/);
	assert.match(text, /fatc_runs_total\{job_name="stays",result="more"\} 1\n/);
	assert.match(text, /fatc_runs_total\{job_name="new",result="done"\} 0\n/);
	assert.match(text, /fatc_run_duration_seconds_count\{job_name="new"\} 0\n/);
	assert.match(text, /fatc_paused\{job_name="stays"\} 1\n/);
	assert.match(text, /fatc_backlog\{job_name="new"\} 12\n/);
	assert.doesNotMatch(text, /fatc_backlog\{job_name="stays"\}/, 'no backlog series without a backlog probe');
	metrics.close();
});

test('metrics text: a scrape asks the snapshot for no run and no CPU figures (no /proc scan per scrape)', async () => {
	const asked: unknown[] = [];
	const metrics = createMetrics({
		snapshot(window, options) {
			asked.push([window?.('work'), options]);
			return makeSnapshot({jobs: [makeJob({name: 'work'})]});
		},
		subscribe: () => () => {},
	});
	await metrics.text();
	assert.deepEqual(asked, [[{offset: 0, limit: 0}, {usage: false}]]);
	metrics.close();
});

test('the Grafana dashboard is JSON and queries only metrics fatc exports', async () => {
	const dashboard = JSON.parse(readFileSync(new URL('../../media/grafana-dashboard.json', import.meta.url), 'utf8')) as {panels: Array<{targets: Array<{expr: string}>}>};
	const {metrics} = metricsOf(() => makeSnapshot({jobs: [makeJob()]}));
	const exported = new Set(parsePrometheusTextFormat(await metrics.text()).map(family => family.name));
	metrics.close();
	const queried = dashboard.panels.flatMap(panel => panel.targets.flatMap(target => target.expr.match(/fatc_\w+/g) ?? []));
	assert.ok(queried.length >= 5);
	for (const name of queried) {
		assert.ok(exported.has(name.replace(/_bucket$/, '')), `${name} is exported`);
	}
});
