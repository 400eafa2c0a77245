import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test} from 'node:test';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {createEscapeSweeper} from '../../source/daemon/sweep-escaped.js';
import {onCleanup} from '../helpers/cleanup.js';
import {isAlive, killIfStill, seeProcess} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

test('escape sweep: after a run ends, its marked processes are killed — but not one in the group of a run under way', async t => {
	const socket = `/tmp/fatc-sweep-test-${process.pid}.sock`;
	// Two sessions of their own, both marked as this instance's work run 1.
	const marked = () => spawn('sleep', ['1000'], {detached: true, stdio: 'ignore', env: {...process.env, FATC_SOCKET: socket, FATC_JOB: 'work', FATC_RUN: '1'}});
	const escaped = marked();
	const inRunGroup = marked();
	onCleanup(t, () => {
		for (const child of [escaped, inRunGroup]) {
			child.kill('SIGKILL');
		}
	});
	const reports: string[] = [];
	const sweeper = createEscapeSweeper(socket, (event: SupervisorEvent) => {
		if (event.type === 'supervisor-warning') {
			reports.push(event.message);
		}
	}, group => group === inRunGroup.pid);
	onCleanup(t, () => {
		sweeper.close();
	});
	sweeper.record({time: Date.now(), type: 'run-ended', job: 'work', runId: 1, slot: 0, pid: 1, result: 'done', code: 0, signal: null, duration: 1, startedAt: 0} as SupervisorEvent);
	await waitFor(() => reports.length > 0, 'the sweep to report what it killed');
	assert.deepEqual(reports, [`killed 1 processes that work run 1 left outside its process group: ${escaped.pid}`]);
	await waitFor(() => !isAlive(escaped.pid!), 'the escaped process to be gone');
	assert.equal(isAlive(inRunGroup.pid!), true, 'the process in a run\'s group is left alone');
});

test('escape sweep where fatc adopts orphans: it looks below fatc\'s children only, and kills a marked tree there in one sweep', async t => {
	const socket = `/tmp/fatc-sweep-adopts-test-${process.pid}.sock`;
	const environment = {...process.env, FATC_SOCKET: socket, FATC_JOB: 'work', FATC_RUN: '2'};
	// This test's process plays fatc: below its child, a marked shell and the marked sleep it started.
	const tree = spawn('sh', ['-c', 'sleep 1000 & echo $!; wait'], {detached: true, stdio: ['ignore', 'pipe', 'ignore'], env: environment});
	// Marked too, but re-parented to PID 1 (its shell exited): outside what this process adopts.
	const outside = spawn('sh', ['-c', 'setsid sleep 1000 > /dev/null 2>&1 & echo $!'], {stdio: ['ignore', 'pipe', 'ignore'], env: environment});
	const firstLine = async (child: typeof tree) => Number(await new Promise<string>(resolve => {
		child.stdout!.once('data', (data: Buffer) => {
			resolve(data.toString());
		});
	}));
	const [grandchild, outsider] = await Promise.all([firstLine(tree), firstLine(outside)]);
	const seen = [tree.pid!, grandchild, outsider].map(pid => seeProcess(pid));
	onCleanup(t, () => {
		for (const left of seen) {
			killIfStill(left);
		}
	});
	const reports: string[] = [];
	const sweeper = createEscapeSweeper(socket, (event: SupervisorEvent) => {
		if (event.type === 'supervisor-warning') {
			reports.push(event.message);
		}
	}, () => false, () => true);
	onCleanup(t, () => {
		sweeper.close();
	});
	sweeper.record({time: Date.now(), type: 'run-ended', job: 'work', runId: 2, slot: 0, pid: 1, result: 'done', code: 0, signal: null, duration: 1, startedAt: 0} as SupervisorEvent);
	await waitFor(() => reports.length > 0, 'the sweep to report what it killed');
	assert.deepEqual(reports, [`killed 2 processes that work run 2 left outside its process group: ${tree.pid}, ${grandchild}`]);
	await waitFor(() => !isAlive(grandchild), 'the grandchild to be gone');
	assert.equal(isAlive(outsider), true, 'a process outside fatc\'s tree is not looked at');
});
