import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

// Issue 7: commands and arguments are never passed through a shell unless the config says so (command: sh).
const hostile = ['$(touch substituted)', '`touch backticked`', '; touch chained', '&& touch anded', '| touch piped', '> redirected', '*', '$HOME'];

test('shell syntax in args reaches the program as plain text: nothing is substituted, chained, piped, redirected or globbed', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', [
		'jobs:',
		'  listed:',
		'    command: echo',
		`    args: ${JSON.stringify(hostile)}`,
		'  split:',
		'    command: echo',
		// One string is split like a shell splits words (quotes respected), and that is all a shell does to it.
		`    args: '"two words" ${hostile.join(' ')}'`,
		'  spaced:',
		'    command: touch spaced',
	].join('\n'));
	const before = readdirSync(folder);
	// Both ways fatc starts a command: the supervisor's driver (run) and the foreground test fire.
	const run = await runCli(['run', '--run-once'], {cwd: folder});
	assert.equal(readFileSync(join(folder, 'logs/listed.log'), 'utf8'), `${hostile.join(' ')}\n`);
	assert.equal(readFileSync(join(folder, 'logs/split.log'), 'utf8'), `two words ${hostile.join(' ')}\n`);
	const testFire = await runCli(['check', '--test-fire'], {cwd: folder});
	assert.ok(testFire.stdout.includes(`\n${hostile.join(' ')}\n`), testFire.stdout);
	assert.ok(testFire.stdout.includes(`\ntwo words ${hostile.join(' ')}\n`), testFire.stdout);
	for (const result of [run, testFire]) {
		assert.match(result.stdout, /command "touch spaced" not found on PATH \(commands are not run through a shell: put the arguments in args/);
		assert.equal(result.code, 1, 'the job whose command is not a program fails');
	}

	// Only fatc's own folders appear: logs, and the runDir (XDG_RUNTIME_DIR/fatc).
	assert.deepEqual(readdirSync(folder).filter(name => name !== 'logs' && name !== 'fatc'), before, 'no file was created by any of it');
});
