import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

/* fatc fleet -f FILE checks its file as fatc checks a config: one line per problem naming the file, exit 2, no trace. */

test('fatc fleet -f: a fleet file that does not validate gives one line per problem and exit 2', async t => {
	const folder = temporaryFolder(t);
	const file = await writeIn(folder, 'fleet.yaml', 'hosts:\n  - ssh://web1\n  - {adress: ssh://web2}\n  - {address: 3, name: "web 3"}\nhostz: 1\n');
	const {code, stdout, stderr} = await runCli(['fleet', '-f', file], {cwd: folder});
	assert.equal(code, 2);
	assert.equal(stdout, '');
	assert.deepEqual(stderr.trimEnd().split('\n'), [
		`fatc: ${file}: hosts[1].adress: unknown key (did you mean "address"?)`,
		`${file}: hosts[2].address: expected an address (ssh://[user@]host[:port][/path], a config file or a daemon name), got 3`,
		`${file}: hosts[2].name: expected a short name (letters, digits, . _ - @ :, at most 24), got "web 3"`,
		`${file}: hostz: unknown key (did you mean "hosts"?)`,
	]);
});

test('fatc fleet: no file, an empty list, a YAML error: one line each, exit 2', async t => {
	const folder = temporaryFolder(t);
	const missing = await runCli(['fleet'], {cwd: folder});
	assert.equal(missing.code, 2);
	assert.equal(missing.stderr, `fatc: ${folder}/fleet.yaml: no such file\n`);
	await writeIn(folder, 'empty.yaml', 'hosts: []\n');
	assert.equal((await runCli(['fleet', '-f', 'empty.yaml'], {cwd: folder})).stderr, `fatc: ${folder}/empty.yaml: hosts: expected at least one host, got []\n`);
	await writeIn(folder, 'broken.yaml', 'hosts: [a\n');
	const broken = await runCli(['fleet', '-f', 'broken.yaml'], {cwd: folder});
	assert.equal(broken.code, 2);
	assert.match(broken.stderr, /^fatc: .*broken\.yaml:\d+:\d+: not valid YAML: .*\n$/);
	// A valid file, but no terminal: the fleet view says what to use instead.
	await writeIn(folder, 'fleet.yaml', 'hosts: [a, b]\n');
	const piped = await runCli(['fleet'], {cwd: folder});
	assert.equal(piped.code, 2);
	assert.match(piped.stderr, /^fatc: fleet needs a terminal/);
});

test('fatc fleet --help, the overview and the completion scripts know the fleet view', async t => {
	const folder = temporaryFolder(t);
	const help = await runCli(['fleet', '--help'], {cwd: folder});
	assert.equal(help.code, 0, help.stderr);
	assert.match(help.stdout, /^usage: fatc fleet \[-f\] \[FILE\]\n[^]*q leaves every daemon running[^]*\nExample\n {2}fatc fleet -f /);
	assert.match((await runCli(['attach', '--help'], {cwd: folder})).stdout, /fatc attach ADDRESS ADDRESS…/);
	assert.match((await runCli(['--help'], {cwd: folder})).stdout, /fatc fleet -f FILE +the fleet view/);
	assert.match((await runCli(['completion', 'bash'], {cwd: folder})).stdout, /import\|proxy\|fleet\) COMPREPLY=\(\$\(compgen -f/);
	assert.match((await runCli(['completion', 'fish'], {cwd: folder})).stdout, /-a fleet -d 'The fleet view: /);
});
