import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';
import {makeJob, makeSnapshot, makeWorkers, StubHandle} from '../helpers/stub-handle.js';

function threeJobs(): StubHandle {
	return new StubHandle(makeSnapshot({
		jobs: [
			makeJob({name: 'send-emails', instances: 4, workers: makeWorkers(3, 10)}),
			makeJob({name: 'resize-images', instances: 2, paused: true, phase: 'paused'}),
			makeJob({name: 'rebuild-feeds', instances: 0}),
		],
	}));
}

/** The selected job: the runs pane is titled after it. */
const selectedJob = (frame: string) => /Runs of (\S+)/.exec(frame)?.[1];

test('j, k and the arrow keys move the selection through the jobs', async t => {
	const app = renderApp(threeJobs());
	t.after(app.unmount);
	assert.equal(selectedJob(await app.ready()), 'send-emails');
	app.press('j');
	await app.waitFor(frame => selectedJob(frame) === 'resize-images', 'j to select the second job');
	app.press(keys.down);
	await app.waitFor(frame => selectedJob(frame) === 'rebuild-feeds', 'down to select the third job');
	app.press(keys.down);
	app.press('k');
	await app.waitFor(frame => selectedJob(frame) === 'resize-images', 'down to stop at the last job, then k to go back');
	app.press(keys.up);
	await app.waitFor(frame => selectedJob(frame) === 'send-emails', 'up to go back to the first job');
	assert.match(lineWith(app.frame(), 'send-emails  '), /^> send-emails/);
});

test('Tab switches the focus between the jobs and the runs table; j then moves through the runs', async t => {
	const app = renderApp(threeJobs());
	t.after(app.unmount);
	assert.match(await app.ready(), /^== Jobs/m);
	app.press(keys.tab);
	await app.waitFor(frame => /^== Runs of send-emails/m.test(frame) && /^-- Jobs/m.test(frame), 'the runs table to take the focus');
	assert.match(lineWith(app.frame(), '#10'), /^>/);
	app.press('j');
	await app.waitFor(frame => lineWith(frame, '#11').startsWith('>'), 'j to select the second run');
	app.press(keys.tab);
	await app.waitFor(frame => /^== Jobs/m.test(frame), 'Tab to come back to the jobs table');
});

test('+ and = scale the selected job up by one, - down by one: each press a relative change, whatever the view shows', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('+');
	await app.waitUntil(() => handle.called('scaleBy').length === 1, 'scaleBy to be called');
	app.press('=');
	app.press('-');
	app.press('-');
	app.press('-');
	await app.waitUntil(() => handle.called('scaleBy').length === 5, 'four more scaleBy calls');
	assert.deepEqual(handle.called('scaleBy'), [['send-emails', 1], ['send-emails', 1], ['send-emails', -1], ['send-emails', -1], ['send-emails', -1]]);
	assert.deepEqual(handle.called('scale'), [], 'no absolute number from a view that may be stale');
	await app.waitFor(frame => frame.includes('send-emails: instances -1'), 'the status line to tell');
	app.press('G');
	await app.waitFor(frame => selectedJob(frame) === 'rebuild-feeds', 'G to select the last job');
	app.press('-');
	// At 0 the core changes nothing and tells nothing; a + pressed just before may not have shown yet, so it is asked.
	await app.waitUntil(() => handle.called('scaleBy').length === 6, 'scale-down at 0 to be left to the core');
	assert.deepEqual(handle.called('scaleBy').at(-1), ['rebuild-feeds', -1]);
});

test('a status message gives the key hints back after its lifetime; a newer one starts its own', async t => {
	const handle = threeJobs();
	const app = renderApp(handle, {statusLifetime: 300});
	t.after(app.unmount);
	await app.ready();
	app.press('t');
	await app.waitFor(frame => frame.includes('send-emails: triggered a run'), 'the status line');
	await app.waitFor(frame => !frame.includes('triggered a run') && /q quit/.test(frame), 'the key hints to come back');
	app.press('p');
	await app.waitFor(frame => frame.includes('send-emails: paused'), 'a new status line');
	await app.waitFor(frame => !frame.includes('send-emails: paused') && /q quit/.test(frame), 'it too to expire');
});

test('r restarts the selected job; in the runs table it restarts the selected run', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('r');
	await app.waitUntil(() => handle.called('restart').length === 1, 'restart to be called');
	assert.deepEqual(handle.called('restart'), [['send-emails']]);
	app.press(keys.tab);
	await app.waitFor(frame => /^== Runs/m.test(frame), 'the runs table to take the focus');
	app.press('j');
	await app.waitFor(frame => lineWith(frame, '#11').startsWith('>'), 'the second run to be selected');
	app.press('r');
	await app.waitUntil(() => handle.called('stopRun').length === 1, 'the run to be stopped for its restart');
	assert.deepEqual(handle.called('stopRun'), [['send-emails', 11]]);
	assert.deepEqual(handle.called('trigger'), [['send-emails']], 'a trigger starts the successor at once');
	assert.equal(handle.called('restart').length, 1);
	await app.waitFor(frame => frame.includes('restarting run #11'), 'the status line to tell');
});

test('p pauses a running job and resumes a paused one', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('p');
	await app.waitUntil(() => handle.called('pause').length === 1, 'pause to be called');
	app.press('j');
	await app.waitFor(frame => selectedJob(frame) === 'resize-images', 'the paused job to be selected');
	app.press('p');
	await app.waitUntil(() => handle.called('resume').length === 1, 'resume to be called');
	assert.deepEqual(handle.called('pause'), [['send-emails']]);
	assert.deepEqual(handle.called('resume'), [['resize-images']]);
});

test('t triggers a run of the selected job now', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('j');
	await app.waitFor(frame => selectedJob(frame) === 'resize-images', 'the second job to be selected');
	app.press('t');
	await app.waitUntil(() => handle.called('trigger').length === 1, 'trigger to be called');
	assert.deepEqual(handle.called('trigger'), [['resize-images']]);
	await app.waitFor(frame => frame.includes('resize-images: triggered a run'), 'the status line to tell');
});

test('x stops the selected run in the runs table, and only there', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('x');
	await app.waitFor(frame => frame.includes('Tab to the runs table'), 'a hint instead of a stop');
	assert.equal(handle.called('stopRun').length, 0);
	app.press(keys.tab);
	await app.waitFor(frame => /^== Runs/m.test(frame), 'the runs table to take the focus');
	app.press('G');
	await app.waitFor(frame => lineWith(frame, '#12').startsWith('>'), 'G to select the last run');
	app.press('x');
	await app.waitUntil(() => handle.called('stopRun').length === 1, 'stopRun to be called');
	assert.deepEqual(handle.called('stopRun'), [['send-emails', 12]]);
});

test('l swaps the events for the log of the selected job; Tab reaches it and k scrolls it back', async t => {
	const handle = threeJobs();
	handle.logLines = Array.from({length: 100}, (_, index) => `log line ${index + 1}`);
	const app = renderApp(handle, {rows: 24});
	t.after(app.unmount);
	assert.match(await app.ready(), /-- Events/);
	app.press('l');
	await app.waitFor(frame => frame.includes('Log of send-emails') && frame.includes('log line 100'), 'the log tail');
	assert.ok(!app.frame().includes('-- Events'));
	assert.deepEqual(handle.called('logTail')[0], ['send-emails', 500]);
	app.press(keys.tab);
	app.press(keys.tab);
	await app.waitFor(frame => /^== Log of send-emails/m.test(frame), 'the log pane to take the focus');
	app.press('k');
	await app.waitFor(frame => frame.includes('(1 lines back)') && !frame.includes('log line 100') && frame.includes('log line 99'), 'k to scroll one line back');
	app.press('l');
	await app.waitFor(frame => frame.includes('-- Events') && /^== Jobs/m.test(frame), 'l again to bring the events back');
});

test('? opens the help with every key; any key closes it', async t => {
	const app = renderApp(threeJobs());
	t.after(app.unmount);
	await app.ready();
	app.press('?');
	const help = await app.waitFor(frame => frame.includes('Help: keys and columns'), 'the help');
	for (const key of ['Tab', '+ -', 'r ', 'p ', 't ', 'x ', 'l ', 'R ', 'D ', 'q Ctrl+C', 'R/A/I', 'NEXT', 'EXIT', 'CPU MEM']) {
		assert.ok(help.split('\n').some(line => line.startsWith(key)), `the help explains ${key}`);
	}

	app.press('q');
	await app.waitFor(frame => frame.includes('Jobs (3)'), 'any key to close the help (q too, without quitting)');
	assert.ok(!app.frame().includes('Stop'));
});

test('R reloads the config and shows the outcome; D without a daemon says there is none to hand off to', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('R');
	await app.waitFor(frame => frame.includes('reload failed: reload is not built yet'), 'the reload outcome');
	handle.reloadOutcome = {ok: true, summary: '1 job changed'};
	app.press('R');
	await app.waitFor(frame => frame.includes('reloaded: 1 job changed'), 'a successful reload');
	app.press('D');
	await app.waitFor(frame => frame.includes('no daemon to hand off to'), 'the hand-off notice');
	assert.equal(handle.called('reload').length, 2);
});

test('q quits at once when no run is under way: shutdown, then the UI unsubscribes and exits', async t => {
	const handle = new StubHandle(makeSnapshot({jobs: [makeJob({name: 'idle'})]}));
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('q');
	await app.waitUntil(() => handle.called('shutdown').length === 1 && handle.listenerCount() === 0, 'shutdown and the UI to exit');
});

test('q asks first while runs are under way: n keeps going, y stops every run and exits once they are gone', async t => {
	const handle = threeJobs();
	handle.holdShutdown = true;
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('q');
	await app.waitFor(frame => frame.includes('Stop 3 runs and quit? y = yes, n = no'), 'the confirmation');
	app.press('n');
	await app.waitFor(frame => !frame.includes('Stop 3 runs'), 'n to cancel');
	assert.equal(handle.called('shutdown').length, 0);
	app.press('q');
	await app.waitFor(frame => frame.includes('Stop 3 runs'), 'the confirmation again');
	app.press('y');
	await app.waitFor(frame => frame.includes('stopping 3 runs'), 'the stopping status while runs stop');
	assert.equal(handle.called('shutdown').length, 1);
	assert.equal(handle.listenerCount(), 1, 'the UI stays until every run is gone');
	handle.finishShutdown();
	await app.waitUntil(() => handle.listenerCount() === 0, 'the UI to exit');
});

test('Ctrl+C asks like q, Enter confirms, and a second q while stopping kills every run', async t => {
	const handle = threeJobs();
	handle.holdShutdown = true;
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press(keys.ctrlC);
	await app.waitFor(frame => frame.includes('Stop 3 runs'), 'the confirmation');
	app.press(keys.escape);
	await app.waitFor(frame => !frame.includes('Stop 3 runs'), 'Esc to cancel');
	app.press(keys.ctrlC);
	await app.waitFor(frame => frame.includes('Stop 3 runs'), 'the confirmation again');
	app.press(keys.enter);
	await app.waitFor(frame => frame.includes('stopping 3 runs'), 'Enter to confirm');
	app.press('q');
	await app.waitUntil(() => handle.called('kill').length === 1, 'kill to be called');
	await app.waitFor(frame => frame.includes('killing every run'), 'the status to tell');
	handle.finishShutdown();
	await app.waitUntil(() => handle.listenerCount() === 0, 'the UI to exit');
});

test('keys that arrive in one burst act one after another, each on what the one before changed', async t => {
	const handle = threeJobs();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	app.press('jjp');
	await app.waitUntil(() => handle.called('pause').length === 1, 'pause to be called');
	assert.deepEqual(handle.called('pause'), [['rebuild-feeds']]);
	app.press('qy');
	await app.waitUntil(() => handle.called('shutdown').length === 1, 'q then y to stop every run');
});

test('D in an owned session hands off and exits without stopping anything', async t => {
	const handle = threeJobs();
	const calls: string[] = [];
	const app = renderApp(handle, {session: {mode: 'owned', handOff: async () => {
		calls.push('hand-off');
	}, leave: () => calls.push('leave')}});
	t.after(app.unmount);
	await app.ready();
	app.press('D');
	await app.waitUntil(() => calls.includes('hand-off') && handle.listenerCount() === 0, 'the hand-off and the UI to exit');
	assert.equal(handle.called('shutdown').length, 0);
});

test('q in an attached session leaves at once: no confirmation, nothing stopped', async t => {
	const handle = threeJobs();
	const calls: string[] = [];
	const app = renderApp(handle, {session: {mode: 'attached', handOff: async () => {}, leave: () => calls.push('leave')}});
	t.after(app.unmount);
	await app.ready();
	app.press('D');
	await app.waitFor(frame => frame.includes('this is the daemon already'), 'the notice that D has nothing to do');
	app.press('q');
	await app.waitUntil(() => calls.includes('leave') && handle.listenerCount() === 0, 'leaving');
	assert.equal(handle.called('shutdown').length, 0);
});
