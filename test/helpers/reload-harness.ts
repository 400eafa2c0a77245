import assert from 'node:assert/strict';
import {readdirSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import yaml from 'js-yaml';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {prepareSupervision} from '../../source/host/start-supervision.js';
import {onCleanup} from './cleanup.js';
import {fixture} from './fixture.js';
import {liveMembers} from './processes.js';
import {readRunRecords, type RunRecord} from './run-records.js';
import {temporaryFolder} from './temporary-folder.js';
import {waitFor} from './wait-for.js';

/** Config-file settings of one job; `command` and `args` default to record-run.sh writing `<job>.records`. */
export type JobSettings = Record<string, unknown>;

type Started = Extract<SupervisorEvent, {type: 'run-started'}>;
type Reloaded = Extract<SupervisorEvent, {type: 'config-reloaded'}>;

/**
 * The real host (`prepareSupervision`: real driver, real watcher) on a real config file in a temporary folder.
 * `save` rewrites the file (in place or editor-style: write a temporary file, rename it over); `finish` shuts down and
 * checks the invariants: no process of any run left, and at every run's start (from the runs' own records) no more runs
 * of its job alive than the `instances` in force when fatc started it.
 */
export async function startReloadHarness(t: TestContext, jobs: Record<string, JobSettings>) {
	const directory = temporaryFolder(t);
	const file = join(directory, '.fatcontrollerrc');
	const text = (settings: Record<string, JobSettings>) => yaml.dump({jobs: Object.fromEntries(Object.entries(settings).map(([name, job]) => [name, {
		command: fixture('record-run.sh'),
		args: [recordFile(name)],
		sleep: 0,
		sleepOnError: 0,
		stopTimeout: 5,
		...job,
	}]))});
	const recordFile = (name: string, label = '') => join(directory, `${name}${label === '' ? '' : `.${label}`}.records`);
	writeFileSync(file, text(jobs));

	const events: SupervisorEvent[] = [];
	/** Per job, the instances in force from an event index on (taken once a reload has been applied). */
	const instancesFrom: Array<{index: number; instances: Map<string, number>}> = [];
	const load = async () => loadConfiguration({configPath: file});
	const {supervisor, start} = prepareSupervision({
		configuration: await load(),
		loadConfiguration: load,
		onEvent(event) {
			events.push(event);
			if (event.type === 'config-reloaded') {
				const index = events.length - 1;
				// The summary is emitted first, the changes applied right after, in the same turn.
				queueMicrotask(() => {
					instancesFrom.push({index, instances: currentInstances()});
				});
			}
		},
	});
	const currentInstances = () => new Map(supervisor.snapshot().jobs.map(job => [job.name, job.instances]));
	instancesFrom.push({index: -1, instances: currentInstances()});
	const done = start();
	onCleanup(t, async () => {
		void supervisor.shutdown();
		supervisor.kill();
		await done;
	});
	await waitFor(() => events.some(event => event.type === 'config-watching'), 'the watcher to be ready');

	const started = (job?: string) => events.filter((event): event is Started => event.type === 'run-started' && (job === undefined || event.job === job));
	const reloads = () => events.filter((event): event is Reloaded => event.type === 'config-reloaded');
	const records = (job: string): RunRecord[] => readdirSync(directory)
		.filter(name => name === `${job}.records` || (name.startsWith(`${job}.`) && name.endsWith('.records')))
		.flatMap(name => readRunRecords(join(directory, name)));

	return {
		supervisor,
		events,
		directory,
		file,
		text,
		recordFile,
		started,
		reloads,
		records,
		/** Rewrites the config file: `in-place` writes over it; `rename` writes a new file and renames it over (vim, VS Code). */
		save(content: Record<string, JobSettings> | string, style: 'in-place' | 'rename' = 'in-place') {
			const data = typeof content === 'string' ? content : text(content);
			if (style === 'rename') {
				writeFileSync(`${file}.saving`, data);
				renameSync(`${file}.saving`, file);
			} else {
				writeFileSync(file, data);
			}
		},
		async waitForReloads(count: number, description = `${count} reloads`) {
			await waitFor(() => reloads().length >= count, description, 10_000);
			return reloads()[count - 1]!;
		},
		/** The pid of the job's run in `slot` now, if any. */
		pidIn(job: string, slot: number): number | undefined {
			const worker = supervisor.snapshot().jobs.find(candidate => candidate.name === job)?.workers.find(candidate => candidate.slot === slot);
			return worker?.pid ?? undefined;
		},
		async finish() {
			await supervisor.shutdown();
			await done;
			for (const event of started()) {
				assert.deepEqual(liveMembers(event.pid!), [], `the process group of ${event.job} run ${event.runId} is empty`);
			}

			const jobNames = new Set(started().map(event => event.job));
			for (const job of jobNames) {
				checkConcurrency(job, records(job));
			}
		},
	};

	function checkConcurrency(job: string, runs: RunRecord[]) {
		const startIndex = new Map(events.flatMap((event, index) => (event.type === 'run-started' && event.job === job ? [[event.pid, index] as const] : [])));
		const endTime = new Map(events.flatMap(event => (event.type === 'run-ended' && event.job === job ? [[event.pid, event.time] as const] : [])));
		const end = (run: RunRecord) => run.end ?? endTime.get(run.pid) ?? Number.POSITIVE_INFINITY;
		// A run whose start line is missing (its `date` was killed) is taken to start when it ended.
		const start = (run: RunRecord) => run.start ?? end(run);
		for (const run of runs) {
			const index = startIndex.get(run.pid);
			assert.ok(index !== undefined, `${job}: fatc reported the start of pid ${run.pid}`);
			const limit = instancesFrom.findLast(entry => entry.index < index)!.instances.get(job) ?? 0;
			const alive = runs.filter(other => start(other) <= start(run) && end(other) > start(run)).length;
			assert.ok(alive <= limit, `${job}: ${alive} runs alive when run ${run.run} (pid ${run.pid}) started, more than instances ${limit}`);
		}
	}
}
