import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

test('a bad config exits 2 naming the file, the key path, what was expected and what was found — no stack trace', async t => {
	const folder = temporaryFolder(t);
	const file = await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  emails:\n    command: php\n    instances: -1\n    sleeep: 5\n');
	const {code, stderr} = await runCli(['run'], {cwd: folder});
	assert.equal(code, 2);
	assert.match(stderr, new RegExp(`${file}: jobs\\.emails\\.instances: expected an integer from 0 to 10000, got -1`));
	assert.match(stderr, /jobs\.emails\.sleeep: unknown key \(did you mean "sleep"\?\)/);
	assert.doesNotMatch(stderr, /\n\s+at /);
});

test('no config anywhere exits 2 and says how to make one', async t => {
	const folder = temporaryFolder(t);
	const {code, stderr} = await runCli(['check'], {cwd: folder, env: {HOME: folder}});
	assert.equal(code, 2);
	assert.match(stderr, /\.fatcontrollerrc\.example/);
});

test('an unknown command or flag exits 2 with a pointer to --help', async t => {
	const folder = temporaryFolder(t);
	const command = await runCli(['frobnicate'], {cwd: folder});
	assert.equal(command.code, 2);
	assert.match(command.stderr, /unknown command "frobnicate"/);
	const flag = await runCli(['--frobnicate'], {cwd: folder});
	assert.equal(flag.code, 2);
	assert.match(flag.stderr, /--frobnicate/);
});

test('check validates the config found from a subfolder upwards and exits 0', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc.yml', 'jobs:\n  a:\n    command: "true"\n');
	const subfolder = await writeIn(folder, 'deep/er/.keep', '');
	const {code, stdout} = await runCli(['check'], {cwd: subfolder.replace(/\/\.keep$/, '')});
	assert.equal(code, 0);
	assert.match(stdout, /1 job, valid/);
});
