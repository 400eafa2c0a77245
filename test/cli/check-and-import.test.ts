import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {fixture} from '../helpers/fixture.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

test('check --test-fire runs each job once, shows its output and how its exit status reads', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  mail:\n    command: sh\n    args: [-c, "echo sending; exit 64"]\n  feeds:\n    command: sh\n    args: [-c, "echo broken >&2; exit 2"]\n    sleepOnError: 5m\n');
	const {code, stdout, stderr} = await runCli(['check', '--test-fire'], {cwd: folder});
	assert.equal(code, 1, 'a job whose run reads as error fails the check');
	assert.match(stdout, /> mail: sh -c echo sending; exit 64\nsending\n< mail: exit 64 after \S+ reads as more: there is more work/);
	assert.match(stdout, /< feeds: exit 2 after \S+ reads as error: fatc would back off for 5m 00s/);
	assert.match(stderr, /broken/);
});

test('import converts an original Fat Controller config into a .fatcontrollerrc that validates', async t => {
	const folder = temporaryFolder(t);
	const output = join(folder, '.fatcontrollerrc');
	const converted = await runCli(['import', fixture('config/original-fatcontroller.conf'), '-o', output], {cwd: folder});
	assert.equal(converted.code, 0, converted.stderr);
	const yaml = readFileSync(output, 'utf8');
	assert.match(yaml, /mysite-emails/);
	assert.match(yaml, /instances: 4/);
	const checked = await runCli(['check'], {cwd: folder});
	// It validates; check also looks for its folder and command, /var/www/mysite/ and /usr/bin/php, which this machine
	// may not have.
	if (existsSync('/var/www/mysite/') && existsSync('/usr/bin/php')) {
		assert.equal(checked.code, 0, checked.stderr);
	} else {
		assert.equal(checked.code, 2);
		assert.match(checked.stderr, /^fatc: \S+: jobs\.mysite-emails\.(cwd: working directory \/var\/www\/mysite does not exist|command: command "\/usr\/bin\/php" not found)\n$/);
	}

	const again = await runCli(['import', fixture('config/original-fatcontroller.conf'), '-o', output], {cwd: folder});
	assert.equal(again.code, 2, 'an existing file is not replaced without --force');
});
