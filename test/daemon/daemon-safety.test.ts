import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {connect} from 'node:net';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

test('after the daemon is SIGKILLed, the next start reaps its runs before starting any: never more than instances', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	await daemon.runsUnderWay(2);
	const before = JSON.parse((await daemon.fatc(['status', '--json'])).stdout) as Snapshot;
	const orphans = before.jobs[0]!.workers.map(worker => worker.pid!);
	process.kill(before.pid, 'SIGKILL');
	await waitFor(() => !isAlive(before.pid), 'the daemon to die');
	assert.ok(orphans.every(pid => isAlive(pid)), 'its runs outlived it');

	const deaths = new Map<number, number>();
	const watch = setInterval(() => {
		for (const pid of orphans) {
			if (!deaths.has(pid) && !isAlive(pid)) {
				deaths.set(pid, Date.now());
			}
		}
	}, 2);
	t.after(() => clearInterval(watch));
	const again = await daemon.fatc(['--detach']);
	assert.equal(again.code, 0, again.stderr);
	await waitFor(() => readRunRecords(daemon.records).length >= 4, 'the new daemon\'s runs to start', 15_000);
	await waitFor(() => deaths.size === orphans.length, 'the orphans to be gone');
	clearInterval(watch);
	const log = readFileSync(`${daemon.folder}/logs/testd.daemon.log`, 'utf8');
	assert.match(log, /reaped 2 process groups and processes left by a fatc that was killed/);

	const peak = maxConcurrentRuns(readRunRecords(daemon.records), record => deaths.get(record.pid));
	assert.ok(peak <= 2, `${peak} runs at once across the crash, more than instances 2`);
});

test('garbage, oversized and half-written messages and 500 vanishing clients leave the daemon unaffected', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	const pid = daemon.daemonPid()!;

	const replies = await exchange(daemon.socket, [
		'this is not json\n',
		'[1,2,3]\n',
		'{"id": "x", "command": "snapshot"}\n',
		'{"id": 1, "command": "rm -rf /"}\n',
		'{"id": 2, "command": "scale", "args": ["work", -5]}\n',
		'{"id": 3, "command": "pause", "args": ["no-such-job"]}\n',
		'{"id": 4, "command": "snapshot"}\n',
		Buffer.from([0, 255, 254, 10]),
	], 8);
	assert.match(replies, /not JSON/);
	assert.match(replies, /expected a JSON object/);
	assert.match(replies, /id: expected an integer/);
	assert.match(replies, /unknown command \\"rm -rf \/\\"/);
	assert.match(replies, /instances: expected an integer of 0 or more/);
	assert.match(replies, /No job named \\"no-such-job\\"/);
	assert.match(replies, /"id":4,"ok":true/);

	const huge = await exchange(daemon.socket, ['{"id": 5, "command": "snapshot", "args": ["', 'x'.repeat(9 * 1024 * 1024)], 1);
	assert.match(huge, /message too long/);

	await Promise.all(Array.from({length: 500}, async (_, index) => {
		const socket = connect(daemon.socket);
		socket.on('error', () => {});
		await new Promise(resolve => socket.once('connect', resolve));
		if (index % 2 === 0) {
			socket.write('{"id": 1, "comm');
		}

		socket.destroy();
	}));

	const status = await daemon.fatc(['status', '--json']);
	assert.equal(status.code, 0, status.stderr);
	assert.equal((JSON.parse(status.stdout) as Snapshot).pid, pid, 'the same daemon answers');
});

/**
 * Sends each part and collects what the daemon answers; half-closes once `replies` lines came back (a half-close
 * before then would cut off answers still being worked out), and resolves when the daemon closes its end.
 */
function exchange(path: string, parts: Array<string | Buffer>, replies: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(path);
		let answer = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			answer += chunk;
			if (answer.split('\n').length > replies) {
				socket.end();
			}
		});
		socket.on('error', error => {
			if ((error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
				resolve(answer);
			} else {
				reject(error);
			}
		});
		socket.on('close', () => resolve(answer));
		socket.on('connect', () => {
			for (const part of parts) {
				socket.write(part);
			}
		});
	});
}
