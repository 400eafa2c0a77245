import assert from 'node:assert/strict';
import {homedir} from 'node:os';
import {test} from 'node:test';
import {validateConfiguration} from '../../source/config/load-configuration.js';
import {defaultRunDirectory} from '../../source/config/resolve.js';

const file = '/srv/app/.fatcontrollerrc';

test('a job with only a command gets every default of the original, durations in milliseconds', () => {
	const configuration = validateConfiguration({jobs: {emails: {command: 'php'}}}, file);
	assert.deepEqual(configuration.jobs, [{
		name: 'emails',
		command: 'php',
		args: [],
		cwd: '/srv/app',
		env: {},
		model: 'dependent',
		instances: 1,
		sleep: 30_000,
		sleepOnError: 300_000,
		warnAfter: 3_600_000,
		timeout: 0,
		stopSignal: 'SIGTERM',
		stopTimeout: 30_000,
		fixedIntervalWait: -1,
		exitCodes: {done: [0], more: [64]},
		appendInstanceId: false,
		logFile: '/srv/app/logs/emails.log',
		onChange: 'finish',
	}]);
});

test('the config gets name "fatc", logs beside the file, the default runDir and its own path', () => {
	const configuration = validateConfiguration({jobs: {emails: {command: 'php'}}}, file);
	assert.equal(configuration.name, 'fatc');
	assert.equal(configuration.logDir, '/srv/app/logs');
	assert.equal(configuration.runDir, defaultRunDirectory());
	assert.equal(configuration.configFile, file);
});

test('runDir defaults to $XDG_RUNTIME_DIR/fatc, else /tmp/fatc-<uid>', () => {
	assert.equal(defaultRunDirectory({XDG_RUNTIME_DIR: '/run/user/1000'}), '/run/user/1000/fatc');
	assert.equal(defaultRunDirectory({}), `/tmp/fatc-${process.getuid?.() ?? 'user'}`);
	assert.equal(defaultRunDirectory({XDG_RUNTIME_DIR: ''}), `/tmp/fatc-${process.getuid?.() ?? 'user'}`);
});

test('relative paths resolve against the config file folder, ~ against home, absolute ones stay', () => {
	const configuration = validateConfiguration({
		logDir: 'var/log',
		runDir: '../run',
		jobs: {
			emails: {command: './bin/send', cwd: 'scripts', logFile: 'out/emails.log', errLogFile: '~/emails.err'},
			feeds: {command: 'php', cwd: '/var/www'},
		},
	}, file);
	assert.equal(configuration.logDir, '/srv/app/var/log');
	assert.equal(configuration.runDir, '/srv/run');
	const [emails, feeds] = configuration.jobs;
	assert.equal(emails?.command, './bin/send', 'the command is left for PATH lookup from cwd');
	assert.equal(emails?.cwd, '/srv/app/scripts');
	assert.equal(emails?.logFile, '/srv/app/out/emails.log');
	assert.equal(emails?.errLogFile, `${homedir()}/emails.err`);
	assert.equal(feeds?.cwd, '/var/www');
	assert.equal(feeds?.logFile, '/srv/app/var/log/feeds.log', 'the default log file is inside logDir');
});

test('set values replace the defaults and keep the order of the jobs', () => {
	const configuration = validateConfiguration({
		name: 'mysite',
		jobs: {
			zebra: {command: 'true'},
			feeds: {
				command: 'php',
				args: '-f "feed builder.php" -- --all',
				env: {APP_ENV: 'production', WORKERS: 4, DEBUG: false},
				model: 'fixed',
				instances: 3,
				sleep: '500ms',
				sleepOnError: '5m',
				warnAfter: 0,
				timeout: '1h',
				stopSignal: 'int',
				stopTimeout: 2.5,
				fixedIntervalWait: '10s',
				schedule: '*/5 * * * *',
				exitCodes: {more: [3, 4]},
				appendInstanceId: true,
				onChange: 'restart',
			},
		},
	}, file);
	assert.equal(configuration.name, 'mysite');
	assert.deepEqual(configuration.jobs.map(job => job.name), ['zebra', 'feeds']);
	const feeds = configuration.jobs[1];
	assert.deepEqual(feeds?.args, ['-f', 'feed builder.php', '--', '--all']);
	assert.deepEqual(feeds?.env, {APP_ENV: 'production', WORKERS: '4', DEBUG: 'false'});
	assert.equal(feeds?.model, 'fixed');
	assert.equal(feeds?.instances, 3);
	assert.equal(feeds?.sleep, 500);
	assert.equal(feeds?.sleepOnError, 300_000);
	assert.equal(feeds?.warnAfter, 0);
	assert.equal(feeds?.timeout, 3_600_000);
	assert.equal(feeds?.stopSignal, 'SIGINT');
	assert.equal(feeds?.stopTimeout, 2500);
	assert.equal(feeds?.fixedIntervalWait, 10_000);
	assert.equal(feeds?.schedule, '*/5 * * * *');
	assert.deepEqual(feeds?.exitCodes, {done: [0], more: [3, 4]});
	assert.equal(feeds?.appendInstanceId, true);
	assert.equal(feeds?.onChange, 'restart');
});

test('fixedIntervalWait takes -1, 0 and durations; args take numbers as text', () => {
	const configuration = validateConfiguration({
		jobs: {
			a: {command: 'x', fixedIntervalWait: '-1', args: ['--batch', 10, true]},
			b: {command: 'x', fixedIntervalWait: 0},
			c: {command: 'x', fixedIntervalWait: '1.5'},
		},
	}, file);
	assert.deepEqual(configuration.jobs.map(job => job.fixedIntervalWait), [-1, 0, 1500]);
	assert.deepEqual(configuration.jobs[0]?.args, ['--batch', '10', 'true']);
});

test('a 6-field cron schedule with seconds is accepted for a fixed job', () => {
	const configuration = validateConfiguration({jobs: {a: {command: 'x', model: 'fixed', schedule: '*/10 * * * * *'}}}, file);
	assert.equal(configuration.jobs[0]?.schedule, '*/10 * * * * *');
});

test('defaults are fresh objects, so changing one configuration never changes another', () => {
	const first = validateConfiguration({jobs: {a: {command: 'x'}}}, file);
	first.jobs[0]?.exitCodes.done.push(1);
	first.jobs[0]?.args.push('y');
	const second = validateConfiguration({jobs: {a: {command: 'x'}}}, file);
	assert.deepEqual(second.jobs[0]?.exitCodes.done, [0]);
	assert.deepEqual(second.jobs[0]?.args, []);
});
