import assert from 'node:assert/strict';
import {chmodSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

test('fatc check fails with one line per job whose command is not on PATH, not executable or missing, or whose cwd is', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, 'not-executable.sh', '#!/bin/sh\nexit 0\n');
	await writeIn(folder, 'bin/worker', '#!/bin/sh\nexit 0\n');
	chmodSync(join(folder, 'bin/worker'), 0o755);
	await writeIn(folder, 'jobs.yml', `jobs:
  typo:
    command: phpp-no-such-command
  script:
    command: ./not-executable.sh
  missing:
    command: ./not-there.sh
  good:
    command: "true"
  own-path:
    command: worker
    env: {PATH: ${join(folder, 'bin')}}
  spaced:
    command: php worker.php
  elsewhere:
    command: "true"
    cwd: /nonexistent/folder
`);
	const {code, stdout, stderr} = await runCli(['check', '-c', 'jobs.yml'], {cwd: folder, env: {PATH: '/usr/bin:/bin'}});
	assert.equal(code, 2, stdout);
	const file = join(folder, 'jobs.yml');
	assert.equal(stderr, [
		`fatc: ${file}: jobs.typo.command: command "phpp-no-such-command" not found on PATH`,
		`${file}: jobs.script.command: command "./not-executable.sh" is not executable`,
		`${file}: jobs.missing.command: command "./not-there.sh" not found`,
		`${file}: jobs.spaced.command: command "php worker.php" not found on PATH (commands are not run through a shell: put the arguments in args, or use command: sh with args: [-c, "…"])`,
		`${file}: jobs.elsewhere.cwd: working directory /nonexistent/folder does not exist`,
		'',
	].join('\n'));
	assert.equal(stdout, '');

	await writeIn(folder, 'good.yml', `jobs:\n  own-path:\n    command: worker\n    env: {PATH: ${join(folder, 'bin')}}\n`);
	const good = await runCli(['check', '-c', 'good.yml'], {cwd: folder});
	assert.equal(good.code, 0, good.stderr);
	assert.match(good.stdout, /1 job, valid/);
	// A test fire runs them anyway: the lines are warnings, and the runs fail.
	const fired = await runCli(['check', '--test-fire', '-c', 'jobs.yml'], {cwd: folder, env: {PATH: '/usr/bin:/bin'}});
	assert.equal(fired.code, 1);
	assert.match(fired.stdout, /^warning: .*jobs\.typo\.command: command "phpp-no-such-command" not found on PATH$/m);
});

test('fatc check names the cron field that is wrong', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, 'jobs.yml', 'jobs:\n  report:\n    command: "true"\n    model: fixed\n    schedule: "*/5 * * * mon-fry"\n');
	const {code, stderr} = await runCli(['check', '-c', 'jobs.yml'], {cwd: folder});
	assert.equal(code, 2);
	assert.equal(stderr, `fatc: ${join(folder, 'jobs.yml')}: jobs.report.schedule: expected a 5- or 6-field cron expression such as "*/5 * * * *", got "*/5 * * * mon-fry": the day-of-week field "mon-fry" is not valid\n`);
});

test('fatc check gives the line and column of a syntax error in a .js, .mjs, .cjs or .ts config', async t => {
	const folder = temporaryFolder(t);
	const esm = 'export default {\n  jobs: {\n    a: {command: "true",,},\n  },\n};\n';
	const files = {
		'module/config.js': esm,
		'config.js': esm,
		'config.mjs': esm,
		'config.cjs': 'module.exports = {\n  jobs: {\n    a: {command: "true",,},\n  },\n};\n',
		'config.ts': esm,
	};
	await writeIn(folder, 'module/package.json', '{"type": "module"}\n');
	for (const [name, content] of Object.entries(files)) {
		await writeIn(folder, name, content);
		const {code, stderr} = await runCli(['check', '-c', name], {cwd: folder});
		assert.equal(code, 2, name);
		assert.match(stderr, new RegExp(`^fatc: ${join(folder, name).replaceAll('.', '\\.')}:3:25: could not load: `), name);
	}
});
