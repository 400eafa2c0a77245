import assert from 'node:assert/strict';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import type {JobDefinition} from '../../source/core/job-definition.js';
import {createSupervisor, type Supervisor} from '../../source/core/supervisor.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {onCleanup} from './cleanup.js';
import {fixture} from './fixture.js';
import {makeDefinition} from './job-definition.js';
import {liveMembers} from './processes.js';
import {maxConcurrentRuns, readRunRecords, type RunRecord} from './run-records.js';
import {temporaryFolder} from './temporary-folder.js';

type Ended = Extract<SupervisorEvent, {type: 'run-ended'}>;
type Started = Extract<SupervisorEvent, {type: 'run-started'}>;

/**
 * A real supervisor with the real driver on record-run.sh jobs (unless a job names another command), in a temporary
 * directory. `finish()` shuts it down and checks the invariants from the runs' own records: never more runs at once
 * than instances, and no process of any run left.
 */
export function startRealSupervisor(t: TestContext, jobs: Array<Partial<JobDefinition>>, options: {runOnce?: boolean} = {}) {
	const directory = temporaryFolder(t);
	const recordFile = (name: string) => join(directory, `${name}.records`);
	const definitions = jobs.map((overrides, index) => {
		const name = overrides.name ?? `job${index}`;
		return makeDefinition({
			name,
			command: fixture('record-run.sh'),
			args: [recordFile(name)],
			cwd: directory,
			logFile: join(directory, `${name}.log`),
			sleep: 0,
			sleepOnError: 0,
			stopTimeout: 5000,
			...overrides,
		});
	});
	const driver = createProcessDriver();
	const supervisor = createSupervisor({configuration: {name: 'test', logDir: directory, runDir: directory, jobs: definitions}, driver, ...options});
	const events: SupervisorEvent[] = [];
	supervisor.subscribe(event => events.push(event));
	supervisor.start();
	onCleanup(t, async () => {
		void supervisor.shutdown();
		supervisor.kill();
		await supervisor.shutdown();
	});

	const started = (job?: string) => events.filter((event): event is Started => event.type === 'run-started' && (job === undefined || event.job === job));
	const ended = (job?: string) => events.filter((event): event is Ended => event.type === 'run-ended' && (job === undefined || event.job === job));
	const records = (job = definitions[0]!.name): RunRecord[] => readRunRecords(recordFile(job));

	return {
		supervisor: supervisor as Supervisor,
		events,
		directory,
		started,
		ended,
		records,
		/** Shuts down, then checks: no process of any run remains, and peak concurrency per job ≤ `instances`. */
		async finish(instances: Record<string, number> = {}) {
			await supervisor.shutdown();
			for (const event of started()) {
				assert.deepEqual(liveMembers(event.pid!), [], `the process group of ${event.job} run ${event.runId} is empty`);
			}

			for (const definition of definitions) {
				const endTimes = new Map(ended(definition.name).map(event => [event.runId, event.time]));
				const peak = maxConcurrentRuns(records(definition.name), record => endTimes.get(record.run));
				const limit = instances[definition.name] ?? definition.instances;
				assert.ok(peak <= limit, `${definition.name}: ${peak} runs at once, more than instances ${limit}`);
			}
		},
	};
}
