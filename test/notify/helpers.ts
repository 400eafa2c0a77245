import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {prepareSupervision} from '../../source/host/start-supervision.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {readRunRecords} from '../helpers/run-records.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';

/** A record-run.sh job named `work` (recording to work.records in the folder), with `settings` over it. */
export function workJob(settings: Record<string, unknown>) {
	return {jobs: {work: {command: fixture('record-run.sh'), args: ['work.records'], sleepOnError: 0, stopTimeout: '5s', ...settings}}};
}

/** The lines of `folder/name` (none while it does not exist). */
export function linesOf(folder: string, name: string): string[] {
	try {
		return readFileSync(join(folder, name), 'utf8').split('\n').filter(Boolean);
	} catch {
		return [];
	}
}

/**
 * The real host (prepareSupervision: real driver, the notifier wired as in fatc) on a JSON config file in a temporary
 * folder; `save` rewrites the file (then `supervisor.reload()`). The cleanup is a forced stop: it kills notifiers too.
 */
export async function startHost(t: TestContext, config: unknown) {
	const folder = temporaryFolder(t);
	const configFile = join(folder, '.fatcontrollerrc.json');
	const save = (next: unknown) => {
		writeFileSync(configFile, JSON.stringify(next));
	};

	save(config);
	const events: SupervisorEvent[] = [];
	const load = async () => loadConfiguration({configPath: configFile});
	const {supervisor, start} = prepareSupervision({
		configuration: await load(),
		loadConfiguration: load,
		onEvent(event) {
			events.push(event);
		},
	});
	const done = start();
	onCleanup(t, async () => {
		void supervisor.shutdown();
		supervisor.kill();
		await done;
	});

	return {
		folder,
		supervisor,
		events,
		done,
		save,
		/** The error lines fatc wrote (the notifier's failures among them). */
		errorLines: () => events.flatMap(event => event.type === 'supervisor-error' ? [event.message] : []),
		ended: (result?: string) => events.filter(event => event.type === 'run-ended' && (result === undefined || event.result === result)),
		records: () => readRunRecords(join(folder, 'work.records')),
	};
}
