import assert from 'node:assert/strict';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import {connectClient} from '../../source/daemon/control-client.js';
import {startControlServer} from '../../source/daemon/control-server.js';
import type {Request, RunsView} from '../../source/daemon/protocol.js';
import {createRemoteHandle} from '../../source/daemon/remote-handle.js';
import {App} from '../../source/ui/app.js';
import {onCleanup} from '../helpers/cleanup.js';
import {lineWith} from '../helpers/render-app.js';
import {makeJob, makeSnapshot, makeWorkers, StubHandle} from '../helpers/stub-handle.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/**
 * The TUI as `fatc attach` runs it, on a daemon's control socket whose core is a stub with 1,000 runs of one job:
 * the daemon sends only the page the TUI asked for. Returns the frame, the key presses and the views it asked for.
 */
async function attachedTui(t: TestContext) {
	const core = new StubHandle(makeSnapshot({jobs: [
		makeJob({name: 'a', model: 'independent', instances: 1000, allowed: 1000, workers: makeWorkers(1000)}),
		makeJob({name: 'b', model: 'independent', instances: 3, allowed: 3, workers: makeWorkers(3, 2001)}),
	]}));
	const socketPath = path.join(temporaryFolder(t), 'tui.sock');
	const server = await startControlServer({socketPath, handle: core, name: 'paging'});
	onCleanup(t, async () => server.close());
	const client = await connectClient(socketPath);
	const views: RunsView[] = [];
	const request = client.request;
	client.request = async (command: Request['command'], args?: unknown[]) => {
		if (command === 'show-runs') {
			views.push(args![0] as RunsView);
		}

		return request(command, args);
	};

	const handle = await createRemoteHandle(client);
	onCleanup(t, () => handle.close());
	// createElement, not JSX: tsx applies the react-jsx setting of tsconfig.json only to the files it includes (source/).
	const instance = render(createElement(App, {handle, capabilities: {unicode: false, color: false}, size: {columns: 120, rows: 30}}));
	onCleanup(t, () => instance.unmount());
	const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
	const frameWith = async (condition: (text: string) => boolean, description: string) => {
		await waitFor(() => condition(frame()), description, 5000, () => `last frame:\n${frame()}`);
		return frame();
	};

	await waitFor(() => instance.stdin.listenerCount('readable') > 0, 'the keyboard to be read');
	return {core, views, frame, frameWith, press: (key: string) => instance.stdin.write(key)};
}

test('attached to 1,000 runs, the runs table scrolls through all of them, asking the daemon for each next page', async t => {
	const tui = await attachedTui(t);
	// 120×30: 8 rows of runs; the TUI asks for their screen and one either side.
	await tui.frameWith(text => /Runs of a 1-8 of 1000/.test(text), 'the first runs');
	assert.match(lineWith(tui.frame(), 'a  '), /independent\s+1000\/10/, 'the jobs table counts every run (R/A/I, cut to its width)');
	assert.match(tui.frame(), /2 jobs \| 1003 runs/, 'and so does the header');
	await waitFor(() => tui.views.length > 0, 'the TUI to say which runs it shows');
	assert.deepEqual(tui.views.at(-1), {job: 'a', offset: 0, limit: 24});

	tui.press('\t');
	tui.press('G');
	let text = await tui.frameWith(frame => lineWith(frame, '#1000').startsWith('>'), 'G to select the last run, from a page it had to ask for');
	assert.match(text, /Runs of a 993-1000 of 1000/);
	assert.deepEqual(tui.views.at(-1), {job: 'a', offset: 984, limit: 24});

	tui.press('g');
	tui.press('\u001B[6~'); // page down: 8 rows
	await tui.frameWith(frame => lineWith(frame, '#9 ').startsWith('>'), 'page down from the first run');
	for (let step = 0; step < 4; step++) {
		tui.press('\u001B[6~');
	}

	text = await tui.frameWith(frame => lineWith(frame, '#41 ').startsWith('>') && frame.includes('#34 '), 'four more pages down, their runs shown');
	assert.match(text, /Runs of a 34-41 of 1000/);
	assert.deepEqual(tui.views.at(-1), {job: 'a', offset: 32, limit: 24});

	tui.press('x');
	await waitFor(() => tui.core.called('stopRun').length === 1, 'x to stop the selected run');
	assert.deepEqual(tui.core.called('stopRun'), [['a', 41]]);
});

test('selecting another job asks for its runs; the daemon then sends those instead', async t => {
	const tui = await attachedTui(t);
	await tui.frameWith(text => text.includes('#1 '), 'the first runs');
	tui.press('j');
	const text = await tui.frameWith(frame => /Runs of b/.test(frame) && frame.includes('#2003'), 'job b\'s runs');
	assert.equal(text.includes('#1 '), false, 'job a\'s runs are no longer shown');
	assert.deepEqual(tui.views.at(-1), {job: 'b', offset: 0, limit: 18}, 'its pane of 6 rows: 3 for its instances, 3 the events pane leaves past 15 lines');
});
