import assert from 'node:assert/strict';
import {test} from 'node:test';
import {writeIn} from '../helpers/temporary-folder.js';
import {attachedTmux} from '../helpers/tmux.js';

/*
 * Issue 15, items 3 and 5, in a real terminal (tmux) attached to a daemon: quick presses of - each count; a config
 * error shows its reason at 80 columns; status messages give the key hints back; at 200×60 the JOB column is capped
 * and the runs table gets a fair share of the height.
 */

const longName = 'send-emails-to-every-customer-of-the-shop';
const config = (instances: number) => `runDir: ./run
jobs:
  worker:
    command: sh
    args: [-c, 'exec sleep 300']
    model: independent
    instances: 4
    stopTimeout: 5s
  ${longName}:
    command: sh
    args: [-c, 'exec sleep 300']
    instances: ${instances}
`;


const row = (screen: string, name: string) => screen.split('\n').find(line => line.includes(` ${name} `)) ?? '';
const footer = (screen: string) => screen.trimEnd().split('\n').at(-1) ?? '';

test('fatc in tmux at 80x24: three quick - on 4 instances each count (4 -> 3 -> 2 -> 1); messages expire; R and D are hinted', async t => {
	const tui = await attachedTmux(t, {config: config(1), columns: 80, rows: 24});
	await tui.waitForScreen(text => /4\/4\/4/.test(row(text, 'worker')), 'worker with its 4 runs');
	// One send-keys: the three presses reach fatc far quicker than a snapshot (≤ 100 ms apart).
	tui.keys('-', '-', '-');
	const screen = await tui.waitForScreen(text => /1\/1\/1/.test(row(text, 'worker')) && /instances 2 -> 1/.test(text), 'worker scaled down three times');
	const scaled = screen.split('\n').flatMap(line => /worker instances (\d+ -> \d+)/.exec(line)?.[1] ?? []);
	assert.deepEqual(scaled, ['4 -> 3', '3 -> 2', '2 -> 1'], 'one event per press, none from a value to itself');

	// The status of the last press gives the key hints back, R and D among them at 80 columns.
	const hints = footer(await tui.waitForScreen(text => /R reload/.test(footer(text)), 'the key hints to come back after the status'));
	assert.match(hints, /D daemon/);
	assert.match(hints, /\+- scale/);
	assert.match(hints, /q quit/);
	assert.ok(hints.length <= 80);
});

test('fatc in tmux at 80x24: a config error shows its reason; once the file is fixed the header and the footer clear', async t => {
	const tui = await attachedTmux(t, {config: config(1), columns: 80, rows: 24});
	await tui.waitForScreen(text => /4\/4\/4/.test(row(text, 'worker')), 'the jobs');
	await writeIn(tui.folder, '.fatcontrollerrc', config(-1));
	tui.keys('R');
	const broken = await tui.waitForScreen(text => /config error/.test(text) && /reload failed/.test(footer(text)), 'the config error');
	const header = broken.split('\n').slice(1, 4).join(' ');
	assert.match(header.replaceAll(/\s+/g, ' '), /instances.*expected/, `the reason shows, not only the key path:\n${broken}`);
	assert.ok(broken.split('\n').every(line => line.length <= 80));

	await writeIn(tui.folder, '.fatcontrollerrc', config(1));
	tui.keys('R');
	await tui.waitForScreen(text => !text.includes('config error') && !text.includes('reload failed') && /q quit/.test(footer(text)), 'the error to clear, then the hints');
});

test('fatc in tmux at 200x60: the JOB column is capped and the runs table gets a fair share of the height', async t => {
	const tui = await attachedTmux(t, {config: config(1), columns: 200, rows: 60});
	const screen = await tui.waitForScreen(text => /4\/4\/4/.test(row(text, 'worker')) && (text.match(/sleep|running/g) ?? []).length >= 4, 'worker with its 4 runs');
	const lines = screen.split('\n');
	const jobsHeader = lines.find(line => /JOB +MODEL/.test(line)) ?? '';
	assert.ok(jobsHeader.indexOf('MODEL') - jobsHeader.indexOf('JOB') <= 45, `JOB is at most ~40 wide:\n${jobsHeader}`);
	assert.ok(lines.some(line => line.includes(longName.slice(0, 36))), 'a 41-character name shows its first 40');
	const runsRule = lines.findIndex(line => line.includes('Runs of'));
	const eventsRule = lines.findIndex(line => line.includes('Events'));
	const runRows = eventsRule - runsRule - 2;
	const eventRows = lines.length - eventsRule - 2;
	assert.ok(runRows >= 15, `the runs table has ${runRows} rows (events ${eventRows})`);
	assert.ok(eventRows <= 30, `the events get at most about half: ${eventRows}`);
});
