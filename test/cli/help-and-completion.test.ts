import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {cliPath, runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

const commands = ['run', 'attach', 'status', 'stop', 'reload', 'scale', 'pause', 'resume', 'restart', 'trigger', 'logs', 'metrics', 'history', 'check', 'import', 'help', 'completion'];

test('fatc COMMAND --help and fatc help COMMAND print that command\'s own help: usage, options, an example', async t => {
	const folder = temporaryFolder(t);
	const scale = await runCli(['scale', '--help'], {cwd: folder});
	assert.equal(scale.code, 0, scale.stderr);
	assert.match(scale.stdout, /^usage: fatc scale JOB N \[-c FILE \| --host URL\]\n/);
	assert.match(scale.stdout, /\nOptions\n {2}-c, --config FILE/);
	assert.match(scale.stdout, /\nExample\n {2}fatc scale send-emails 8\n$/);
	assert.doesNotMatch(scale.stdout, /fatc import/, 'not the help of every command');
	assert.equal((await runCli(['help', 'scale'], {cwd: folder})).stdout, scale.stdout);
	for (const command of commands) {
		const help = await runCli([command, '--help'], {cwd: folder});
		assert.equal(help.code, 0, `${command}: ${help.stderr}`);
		assert.match(help.stdout, new RegExp(`^usage: fatc ${command}\\b[^]*\\nExample\\n {2}\\S`), command);
	}

	const overview = await runCli(['help'], {cwd: folder});
	assert.equal(overview.stdout, (await runCli(['--help'], {cwd: folder})).stdout);
	assert.match(overview.stdout, /fatc help COMMAND/);
	const unknown = await runCli(['help', 'sclae'], {cwd: folder});
	assert.equal(unknown.code, 2);
	assert.equal(unknown.stderr, 'fatc: no command "sclae" (did you mean "scale"?); see fatc --help\n');
});

test('fatc completion bash completes commands, options and the job names of the config', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  send-emails:\n    command: "true"\n  reports:\n    command: "true"\n');
	await writeIn(folder, 'other.yml', 'jobs:\n  resize-images:\n    command: "true"\n');
	await writeIn(folder, 'bin/fatc', `#!/bin/sh\nexec ${process.execPath} ${cliPath} "$@"\n`);
	chmodSync(join(folder, 'bin/fatc'), 0o755);
	const script = await runCli(['completion', 'bash'], {cwd: folder});
	assert.equal(script.code, 0, script.stderr);
	await writeIn(folder, 'fatc.bash', script.stdout);
	const complete = (...words: string[]) => execFileSync('bash', ['-c', [
		'source fatc.bash',
		`COMP_WORDS=(${words.map(word => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
		'_fatc; printf "%s\\n" "${COMPREPLY[@]}"',
	].join('\n')], {cwd: folder, encoding: 'utf8', env: {...process.env, PATH: `${join(folder, 'bin')}:${process.env['PATH']}`}}).trim().split('\n').sort();

	assert.deepEqual(complete('fatc', 'sc'), ['scale']);
	assert.deepEqual(complete('fatc', 're'), ['reload', 'restart', 'resume']);
	assert.deepEqual(complete('fatc', 'scale', ''), ['reports', 'send-emails']);
	assert.deepEqual(complete('fatc', 'pause', 's'), ['send-emails']);
	assert.deepEqual(complete('fatc', '-c', 'other.yml', 'trigger', ''), ['resize-images']);
	// A file that does not validate still offers its names (the running fatc may hold the last good config of it);
	// a key that is no job name is left out, and a file with no jobs mapping offers none.
	await writeIn(folder, 'broken.yml', 'jobs:\n  thumbs:\n    command: 42\n  "no/name": {}\n');
	assert.deepEqual(complete('fatc', '-c', 'broken.yml', 'pause', ''), ['thumbs']);
	await writeIn(folder, 'list.yml', 'jobs: [a, b]\n');
	assert.deepEqual(complete('fatc', '-c', 'list.yml', 'pause', ''), ['']);
	assert.deepEqual(complete('fatc', 'run', '--keep'), ['--keep-on-hangup']);
	assert.deepEqual(complete('fatc', 'help', 'his'), ['history']);
	assert.deepEqual(complete('fatc', 'completion', ''), ['bash', 'fish', 'zsh']);
});

test('fatc completion zsh and fish print scripts with every command; another shell is a usage error', async t => {
	const folder = temporaryFolder(t);
	for (const shell of ['zsh', 'fish']) {
		const {code, stdout} = await runCli(['completion', shell], {cwd: folder});
		assert.equal(code, 0);
		for (const command of commands) {
			assert.ok(stdout.includes(shell === 'zsh' ? `'${command}:` : `-a ${command} -d`), `${shell}: ${command}`);
		}

		assert.match(stdout, /fatc completion jobs/);
	}

	const other = await runCli(['completion', 'tcsh'], {cwd: folder});
	assert.equal(other.code, 2);
	assert.equal(other.stderr, 'fatc: usage: fatc completion bash|zsh|fish\n');
});
