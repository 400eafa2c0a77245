import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test} from 'node:test';
import {ExitWatch} from '../../source/driver/exit-watch.js';
import {loadLibc} from '../../source/driver/libc.js';
import {waitFor} from '../helpers/wait-for.js';

const libc = loadLibc();

test('exit watch: a pidfd in an epoll set says which watched process exited, and no other', {skip: 'unavailable' in libc ? libc.unavailable : false}, async t => {
	const watch = ExitWatch.open(libc as Exclude<typeof libc, {unavailable: string}>);
	assert.ok(watch, 'epoll and pidfds on this kernel');
	const short = spawn('sleep', ['0.2'], {stdio: 'ignore'});
	const long = spawn('sleep', ['600'], {stdio: 'ignore'});
	t.after(() => long.kill('SIGKILL'));
	assert.equal(watch.add(short.pid!), true);
	assert.equal(watch.add(long.pid!), true);
	assert.deepEqual(watch.exited(), {pids: [], more: false}, 'both alive');
	const exited = new Promise(resolve => {
		short.once('exit', resolve);
	});
	await exited;
	// Read back through the event's data field: the layout of struct epoll_event (packed on x86_64) is right.
	await waitFor(() => watch.exited().pids.includes(short.pid!), 'the short one reported');
	assert.deepEqual(watch.exited().pids, [short.pid], 'only it');
	watch.forget(short.pid!);
	assert.equal(watch.size, 1);
	assert.deepEqual(watch.exited().pids, [], 'forgotten: its pidfd closed and out of the set');
});
