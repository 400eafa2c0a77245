import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import yaml from 'js-yaml';
import {ConfigError} from '../../source/config/errors.js';
import {importLegacyConfig} from '../../source/config/import-legacy.js';
import {loadConfiguration, validateConfiguration} from '../../source/config/load-configuration.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/config/original-fatcontroller.conf');

function importError(text: string): ConfigError {
	try {
		importLegacyConfig(text, '/etc/fatcontroller');
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		return error;
	}

	assert.fail('expected a ConfigError');
}

test('an original config becomes a YAML .fatcontrollerrc that validates to the same settings', async () => {
	const text = importLegacyConfig(await readFile(fixture, 'utf8'), '/etc/fatcontroller');
	const configuration = validateConfiguration(yaml.load(text), '/srv/app/.fatcontrollerrc');
	assert.equal(configuration.name, 'mysite-emails');
	assert.deepEqual(configuration.jobs[0], {
		name: 'mysite-emails',
		command: '/usr/bin/php',
		args: ['-f', 'backgroundJob.php', '--', '--items-to-process=10'],
		cwd: '/var/www/mysite',
		env: {},
		model: 'dependent',
		instances: 4,
		sleep: 60_000,
		sleepOnError: 300_000,
		warnAfter: 3_600_000,
		timeout: 0,
		stopSignal: 'SIGTERM',
		stopTimeout: 30_000,
		fixedIntervalWait: -1,
		exitCodes: {done: [0], more: [64]},
		appendInstanceId: true,
		logFile: '/var/log/mysite-emails.log',
		onChange: 'finish',
	});
});

test('the YAML has a header naming the source and comments for keys fatc has no place for', async () => {
	const text = importLegacyConfig(await readFile(fixture, 'utf8'), '/etc/fatcontroller');
	assert.match(text, /^# fatc config, converted by `fatc import` from \/etc\/fatcontroller\./);
	assert.match(text, /^# PID_FILE=\/var\/run\/mysite-emails\.pid: .*--pid-file/m);
	assert.match(text, /^# RUN_ONCE=0: .*--run-once/m);
	assert.doesNotMatch(text, /^PID_FILE|pidFile|runOnce/m);
});

test('the imported file loads as a .fatcontrollerrc', async context => {
	const folder = temporaryFolder(context);
	await writeIn(folder, '.fatcontrollerrc', importLegacyConfig(await readFile(fixture, 'utf8'), fixture));
	const configuration = await loadConfiguration({cwd: folder});
	assert.equal(configuration.jobs[0]?.command, '/usr/bin/php');
});

test('quotes, export, comments and ${VAR} work as the shell would read them', () => {
	const text = importLegacyConfig([
		'export APPLICATION_NAME=\'feeds\'',
		'COMMAND=python3 # the interpreter',
		'ARGUMENTS="feeds.py --out \'/tmp/my feeds\'"',
		'THREAD_MODEL=fixed',
		'SLEEP=10',
		'FIXED_INTERVAL_WAIT=0',
		'APPEND_THREAD_ID=false',
		'LOG_FILE=$HOME/${APPLICATION_NAME}.log',
		'ERR_LOG_FILE=""',
	].join('\n'), 'feeds.conf');
	const configuration = validateConfiguration(yaml.load(text), '/srv/.fatcontrollerrc');
	const [job] = configuration.jobs;
	assert.equal(job?.name, 'feeds');
	assert.equal(job?.command, 'python3');
	assert.deepEqual(job?.args, ['feeds.py', '--out', '/tmp/my feeds']);
	assert.equal(job?.model, 'fixed');
	assert.equal(job?.sleep, 10_000);
	assert.equal(job?.fixedIntervalWait, 0);
	assert.equal(job?.appendInstanceId, false);
	assert.equal(job?.logFile, '/srv/$HOME/feeds.log');
	assert.equal(job?.errLogFile, undefined, 'an empty value is left out');
	assert.match(text, /^# Left as written, not defined in feeds\.conf: \$HOME\.$/m);
});

test('unknown keys are an error listing each with its line and a suggestion', () => {
	const error = importError('COMMAND=php\nSLEEP_ON_EROR=5\nCOLOUR=red\n');
	assert.equal(error.message, [
		'/etc/fatcontroller:2: SLEEP_ON_EROR: unknown key (did you mean "SLEEP_ON_ERROR"?)',
		'/etc/fatcontroller:3: COLOUR: unknown key',
	].join('\n'));
});

test('values fatc would reject are errors naming the original key and line', () => {
	assert.equal(importError('COMMAND=php\n\nTHREADS=lots\n').message, '/etc/fatcontroller:3: THREADS: expected an integer from 0 to 10000, got "lots"');
	assert.equal(importError('COMMAND=php\nTHREAD_MODEL=PARALLEL\n').message, '/etc/fatcontroller:2: THREAD_MODEL: expected "dependent", "independent" or "fixed", got "PARALLEL"');
	assert.equal(importError('SLEEP=5\n').message, '/etc/fatcontroller: COMMAND: expected a command name or path, got nothing');
	assert.equal(importError('COMMAND="php\n').message, '/etc/fatcontroller:1: COMMAND: expected a closing double quote ("), got "\\"php"');
	assert.equal(importError('COMMAND=php\nnot an assignment\n').message, '/etc/fatcontroller:2: expected KEY=value, got "not an assignment"');
	assert.equal(importError('COMMAND=php\nAPPLICATION_NAME="my app"\n').message.split('\n')[0], '/etc/fatcontroller:2: APPLICATION_NAME: expected a name of letters, digits, "_", "." or "-", got "my app"');
});
