import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseArgs} from 'node:util';
import {ConfigError} from '../../source/config/errors.js';
import {joinLegacyFlagValues, legacyFlagNames, legacyFlagOptions} from '../../source/config/legacy-flag-options.js';
import {configurationFromLegacyFlags} from '../../source/config/legacy-flags.js';

const cwd = '/srv/app';

/** The original's command line through parseArgs, as the CLI does it. */
function fromCommandLine(...args: string[]) {
	const {values} = parseArgs({
		args: joinLegacyFlagValues(args),
		options: {...legacyFlagOptions, 'run-once': {type: 'boolean'}, 'test-fire': {type: 'boolean'}},
		strict: true,
	});
	return configurationFromLegacyFlags(values, cwd);
}

function errorOf(...args: string[]): ConfigError {
	try {
		fromCommandLine(...args);
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		return error;
	}

	assert.fail('expected a ConfigError');
}

test('every flag of the original is known, with its parseArgs type', () => {
	assert.deepEqual(legacyFlagNames.toSorted(), [
		'append-thread-id', 'arguments', 'command', 'daemon-name', 'daemonise', 'debug', 'err-log-file',
		'fixed-interval-threads', 'fixed-interval-wait', 'independent-threads', 'log-file', 'pid-file',
		'proc-run-time-max', 'proc-run-time-warn', 'proc-term-timeout', 'run-once', 'sleep', 'sleep-on-error',
		'test-fire', 'threads', 'working-directory',
	]);
	assert.equal(legacyFlagOptions.threads.type, 'string');
	assert.equal(legacyFlagOptions['independent-threads'].type, 'boolean');
});

test('a legacy string flag takes the next word as its value, even one starting with "-"', () => {
	assert.deepEqual(
		joinLegacyFlagValues(['--arguments', '-f x.php', '--fixed-interval-wait', '-1', '--append-thread-id', '-c', 'fatc.yaml', '--', '--sleep', '5']),
		['--arguments=-f x.php', '--fixed-interval-wait=-1', '--append-thread-id', '-c', 'fatc.yaml', '--', '--sleep', '5'],
	);
	assert.deepEqual(joinLegacyFlagValues(['--sleep=5', '--command']), ['--sleep=5', '--command']);
});

test('without job flags there is no legacy command line', () => {
	assert.equal(fromCommandLine(), undefined);
	assert.equal(fromCommandLine('--run-once', '--test-fire', '--debug'), undefined);
});

test('the original flags make a one-job config with the original defaults', () => {
	const legacy = fromCommandLine('--command', 'php', '--arguments', '-f "send emails.php" -- --batch=10');
	assert.ok(legacy);
	const {configuration} = legacy;
	assert.equal(configuration.name, 'fatc');
	assert.equal(configuration.configFile, undefined);
	assert.equal(configuration.logDir, '/srv/app/logs');
	assert.equal(configuration.jobs.length, 1);
	const [job] = configuration.jobs;
	assert.equal(job?.name, 'php');
	assert.equal(job?.command, 'php');
	assert.deepEqual(job?.args, ['-f', 'send emails.php', '--', '--batch=10']);
	assert.equal(job?.cwd, cwd);
	assert.equal(job?.model, 'dependent');
	assert.equal(job?.instances, 1);
	assert.equal(job?.sleep, 30_000);
	assert.equal(job?.sleepOnError, 300_000);
	assert.equal(job?.logFile, '/srv/app/logs/php.log');
	assert.deepEqual({runOnce: legacy.runOnce, testFire: legacy.testFire, detach: legacy.detach, debug: legacy.debug, pidFile: legacy.pidFile},
		{runOnce: false, testFire: false, detach: false, debug: false, pidFile: undefined});
});

test('each flag sets its key: seconds become milliseconds, paths resolve against the cwd', () => {
	const legacy = fromCommandLine(
		'--command', '/usr/bin/php', '--threads', '4', '--independent-threads',
		'--sleep', '60', '--sleep-on-error', '120', '--proc-run-time-warn', '600', '--proc-run-time-max', '900',
		'--proc-term-timeout', '5', '--fixed-interval-wait', '-1', '--append-thread-id',
		'--log-file', 'logs/emails.log', '--err-log-file', '/var/log/emails.err', '--working-directory', 'scripts',
		'--pid-file', 'run/emails.pid', '--daemon-name', 'emails', '--daemonise', '--run-once', '--test-fire', '--debug',
	);
	assert.ok(legacy);
	const {configuration} = legacy;
	assert.equal(configuration.name, 'emails');
	assert.equal(configuration.logDir, '/srv/app/logs');
	assert.deepEqual(configuration.jobs[0], {
		name: 'emails',
		command: '/usr/bin/php',
		args: [],
		cwd: '/srv/app/scripts',
		env: {},
		model: 'independent',
		instances: 4,
		sleep: 60_000,
		sleepOnError: 120_000,
		warnAfter: 600_000,
		timeout: 900_000,
		stopSignal: 'SIGTERM',
		stopTimeout: 5000,
		fixedIntervalWait: -1,
		exitCodes: {done: [0], more: [64]},
		appendInstanceId: true,
		logFile: '/srv/app/logs/emails.log',
		errLogFile: '/var/log/emails.err',
		onChange: 'finish',
	});
	assert.equal(legacy.pidFile, '/srv/app/run/emails.pid');
	assert.deepEqual([legacy.runOnce, legacy.testFire, legacy.detach, legacy.debug], [true, true, true, true]);
});

test('--fixed-interval-threads switches to the fixed model; --threads sets the count', () => {
	const legacy = fromCommandLine('--command', 'true', '--fixed-interval-threads', '--threads', '2', '--fixed-interval-wait', '0');
	assert.equal(legacy?.configuration.jobs[0]?.model, 'fixed');
	assert.equal(legacy?.configuration.jobs[0]?.instances, 2);
	assert.equal(legacy?.configuration.jobs[0]?.fixedIntervalWait, 0);
});

test('both model flags at once are an error, as in the original', () => {
	const error = errorOf('--command', 'true', '--independent-threads', '--fixed-interval-threads');
	assert.equal(error.message, 'command line: --independent-threads: expected one thread model, got --independent-threads and --fixed-interval-threads');
});

test('bad flag values are reported like config errors, naming the flag', () => {
	assert.equal(errorOf('--command', 'php', '--threads', 'many').message, 'command line: --threads: expected an integer from 0 to 10000, got "many"');
	assert.equal(errorOf('--command', 'php', '--threads', '10001').message, 'command line: --threads: expected an integer from 0 to 10000, got 10001');
	assert.equal(errorOf('--command', 'php', '--sleep', '-3').message, 'command line: --sleep: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got "-3"');
	assert.equal(errorOf('--command', 'php', '--arguments', '"open').message, 'command line: --arguments: expected a closing double quote ("), got "\\"open"');
	assert.equal(errorOf('--threads', '2').message, 'command line: --command: expected a command name or path, got nothing');
	assert.equal(errorOf('--command', 'php', '--daemon-name', 'my site').message, 'command line: --daemon-name: expected a name of letters, digits, "_", "." or "-", got "my site"');
	assert.equal(errorOf('--command', '').file, 'command line');
});
