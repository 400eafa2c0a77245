import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath} from '../helpers/cli.js';
import {isAlive, liveMembers} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const config = `runDir: ./run
jobs:
  sleeper:
    command: sh
    args: [-c, 'echo "pid $$ of run $FATC_RUN"; exec sleep 300']
    model: independent
    instances: 1
    stopTimeout: 5s
  blinker:
    command: sh
    args: [-c, 'echo "pid $$ of run $FATC_RUN"; sleep 0.2']
    sleep: 500ms
`;


/** The pids every run printed into its log (one line "pid N of run M" per run). */
function runPids(folder: string): number[] {
	return ['sleeper', 'blinker'].flatMap(job => {
		const file = join(folder, 'logs', `${job}.log`);
		return existsSync(file) ? [...readFileSync(file, 'utf8').matchAll(/^pid (\d+) of run/gm)].map(match => Number(match[1])) : [];
	});
}

test('fatc in tmux at 80x24: shows the jobs, + adds a run, p pauses, q asks, stops every run and exits 0 leaving no process', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const tmux = tmuxServer();
	const statusFile = join(folder, 'exit-status');
	// The shell stays after fatc so that the pane (and what fatc printed last) can still be read.
	tmux.run('new-session', '-d', '-s', 'fatc', '-x', '80', '-y', '24', '-c', folder, `${process.execPath} ${cliPath}; echo "exit status $?" > ${statusFile}; exec sleep 600`);
	let fatcPid: number | undefined;
	onCleanup(t, async () => {
		// Whatever happened: stop fatc (SIGHUP from tmux would only reload it), then any run it left.
		if (fatcPid !== undefined && isAlive(fatcPid)) {
			process.kill(fatcPid, 'SIGTERM');
			await waitFor(() => !isAlive(fatcPid!), 'fatc to stop', 15_000).catch(() => process.kill(fatcPid!, 'SIGKILL'));
		}

		for (const pid of runPids(folder)) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {}
		}

		tmux.run('kill-server');
	});

	const waitForScreen = async (condition: (screen: string) => boolean, description: string) => {
		await waitFor(() => condition(tmux.screen()), description, 20_000, () => `the screen:\n${tmux.screen()}`);
		return tmux.screen();
	};

	const row = (screen: string, name: string) => screen.split('\n').find(line => line.includes(` ${name} `)) ?? '';
	let screen = await waitForScreen(text => text.includes('Jobs (2)') && /\/1\/1/.test(row(text, 'sleeper')) && text.includes('#1 '), 'the jobs table with the first run');
	fatcPid = Number(/pid (\d+)/.exec(screen)?.[1]);
	assert.ok(fatcPid > 0, 'the header shows fatc\'s pid');
	assert.ok(row(screen, 'blinker'), 'both jobs are listed');
	assert.ok(screen.split('\n').every(line => line.length <= 80));

	tmux.keys('+');
	screen = await waitForScreen(text => /2\/2\/2/.test(row(text, 'sleeper')) && text.includes('#2 '), 'a second run after +');
	assert.match(screen, /instances 1 -> 2/);

	tmux.keys('p');
	await waitForScreen(text => /0\/2\/2 +paused/.test(row(text, 'sleeper')), 'the job to pause and its runs to stop');
	assert.ok(runPids(folder).length >= 2);

	tmux.keys('p');
	await waitForScreen(text => /2\/2\/2/.test(row(text, 'sleeper')) && !row(text, 'sleeper').includes('paused'), 'the job to resume with two runs');

	tmux.keys('q');
	await waitForScreen(text => /Stop \d+ runs? and quit\? y = yes, n = no/.test(text), 'the quit confirmation');
	tmux.keys('y');
	// The shell creates the file before it writes the line: wait for the line.
	await waitFor(() => existsSync(statusFile) && readFileSync(statusFile, 'utf8').endsWith('\n') && !isAlive(fatcPid!), 'fatc to exit', 30_000);
	assert.equal(readFileSync(statusFile, 'utf8').trim(), 'exit status 0');
	assert.match(tmux.screen(), /fatc stopped: every run is gone/);
	const pids = runPids(folder);
	assert.ok(pids.length >= 4, `the runs' pids were logged (${pids.length})`);
	for (const pid of pids) {
		assert.equal(isAlive(pid), false, `run ${pid} is gone`);
		assert.deepEqual(liveMembers(pid), [], `nothing is left in the process group of ${pid}`);
	}
});

test('fatc in tmux: when the terminal goes away (tmux killed, SSH dropped) it stops every run and exits 0', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const tmux = tmuxServer();
	const statusFile = join(folder, 'exit-status');
	// The shell ignores the hang-up so that it outlives the terminal and can record fatc's exit status.
	tmux.run('new-session', '-d', '-s', 'fatc', '-x', '80', '-y', '24', '-c', folder, `trap '' HUP; ${process.execPath} ${cliPath} 2> stderr.txt; echo "exit status $?" > ${statusFile}`);
	let fatcPid: number | undefined;
	onCleanup(t, () => {
		for (const pid of [fatcPid, ...runPids(folder)]) {
			try {
				process.kill(pid === fatcPid ? pid! : -pid!, 'SIGKILL');
			} catch {}
		}
	});
	await waitFor(() => (/pid (\d+)/.exec(tmux.screen()) !== null) && tmux.screen().includes('#1 '), 'the first run', 20_000);
	fatcPid = Number(/pid (\d+)/.exec(tmux.screen())![1]);
	tmux.run('kill-server');
	await waitFor(() => existsSync(statusFile) && readFileSync(statusFile, 'utf8').endsWith('\n'), 'fatc to exit', 30_000);
	assert.equal(readFileSync(statusFile, 'utf8').trim(), 'exit status 0');
	assert.equal(readFileSync(join(folder, 'stderr.txt'), 'utf8'), '', 'no crash, no abort');
	for (const pid of runPids(folder)) {
		assert.deepEqual(liveMembers(pid), [], `nothing is left in the process group of ${pid}`);
	}
});
