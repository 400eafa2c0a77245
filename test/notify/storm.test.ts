import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Configuration} from '../../source/core/job-definition.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import {createNotifier} from '../../source/notify/create-notifier.js';
import {describeEvent} from '../../source/reporters/describe-event.js';
import {onCleanup} from '../helpers/cleanup.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns, settle} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

type Told = {job: string; kind: string; folded: number; runId: number; errorsBefore?: number; message: string};

/*
 * A storm of 1,000 errors through the real supervisor on a fake driver and a fake clock (the crash-loop back-off of
 * job-state.ts spreads them over ~80 minutes of its time; each run fails the moment it starts), told to real notifier processes: each writes the JSON it
 * read to a file of its own.
 */
test('notify: a storm of 1,000 errors gives one notification per `every`, and every error is told or counted in `folded`', async t => {
	const folder = temporaryFolder(t);
	const every = 10 * 60_000;
	const configuration: Configuration = {name: 'storm', logDir: folder, runDir: folder, jobs: [makeDefinition({
		name: 'storm',
		sleepOnError: 0,
		cwd: folder,
		notify: {on: ['error', 'recovered'], command: 'cat > "$(mktemp told.XXXXXX)"', every, timeout: 10_000},
	})]};
	const clock = new FakeClock();
	const driver = new FakeDriver();
	const errors: string[] = [];
	const notifier = createNotifier({configuration, describe: describeEvent, clock, onError: message => errors.push(message)});
	const supervisor = createSupervisor({configuration, driver, clock, spawnPacer: immediateSpawns()});
	supervisor.subscribe(notifier.observe);
	supervisor.start();
	onCleanup(t, async () => {
		void supervisor.shutdown();
		supervisor.kill();
		await supervisor.shutdown();
		await notifier.close();
	});

	const startedAt = clock.now();
	for (let run = 0; run < 1000; run++) {
		assert.equal(driver.runs.length, run + 1, `run ${run + 1} started after the back-off`);
		driver.runs[run]!.finish({code: 1, signal: null});
		await settle();
		// Each run fails at once: the crash-loop back-off (at most 5 s) decides the next start.
		for (let waited = 0; driver.runs.length === run + 1 && waited <= 5000; waited += 10) {
			clock.advance(10);
		}
	}

	const span = clock.now() - startedAt;
	clock.advance(every);
	driver.runs[1000]!.finish({code: 0, signal: null});
	await settle();
	const told = () => readdirSync(folder).filter(name => name.startsWith('told.')).map(name => readFileSync(join(folder, name), 'utf8'));
	const complete = () => told().filter(text => text.endsWith('\n')).map(text => JSON.parse(text) as Told);
	// The last error window and the recovery: the count is known only once every error is told or folded.
	const errorsTold = () => complete().filter(note => note.kind === 'error');
	await waitFor(() => {
		const notes = errorsTold();
		return notes.length + notes.reduce((sum, note) => sum + note.folded, 0) >= 1000 && complete().some(note => note.kind === 'recovered');
	}, 'every error told or folded, and the recovery', 20_000, () => JSON.stringify(complete()));

	const notes = errorsTold().sort((first, second) => first.runId - second.runId);
	assert.equal(notes.length + notes.reduce((sum, note) => sum + note.folded, 0), 1000);
	assert.ok(notes.length <= Math.ceil(span / every) + 1, `${notes.length} notifications over ${span} ms, one per ${every} ms`);
	assert.equal(notes[0]!.runId, 1);
	assert.equal(notes[0]!.folded, 0, 'the first error is told at once');
	assert.equal(notes.at(-1)!.runId, 1000, 'the newest error is the one told last');
	assert.ok(notes.slice(1).every(note => note.folded > 0));
	assert.match(notes.at(-1)!.message, /^storm\[0\] run 1000 ended: error \(exit 1\) after 0ms \(\d+ more folded since the last notification\)$/);
	const recovered = complete().filter(note => note.kind === 'recovered');
	assert.deepEqual(recovered.map(note => [note.runId, note.errorsBefore, note.folded]), [[1001, 1000, 0]]);
	assert.match(recovered[0]!.message, /^storm\[0\] recovered after 1000 errors: run 1001 ended: done \(exit 0\)/);
	assert.deepEqual(errors, []);
});
