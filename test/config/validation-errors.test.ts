import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ConfigError} from '../../source/config/errors.js';
import {validateConfiguration} from '../../source/config/load-configuration.js';

const file = '/srv/app/.fatcontrollerrc';

/** The lines of the ConfigError message that validating `raw` throws. */
function errorLines(raw: unknown): string[] {
	try {
		validateConfiguration(raw, file);
	} catch (error) {
		assert.ok(error instanceof ConfigError, 'a ConfigError');
		assert.equal(error.file, file);
		assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
		return error.message.split('\n');
	}

	assert.fail('expected a ConfigError');
}

/** The single error line for one bad key of job `emails`. */
function jobError(settings: Record<string, unknown>): string {
	const lines = errorLines({jobs: {emails: {command: 'php', ...settings}}});
	assert.equal(lines.length, 1, lines.join('\n'));
	return lines[0] ?? '';
}

test('the error names the file, the key path, what was expected and what was found', () => {
	assert.equal(jobError({instances: -1}), `${file}: jobs.emails.instances: expected an integer from 0 to 10000, got -1`);
});

test('each job key says what it expects', () => {
	const cases: Array<[Record<string, unknown>, string]> = [
		[{command: ''}, 'command: expected a command name or path, got ""'],
		[{command: 42}, 'command: expected a command name or path, got 42'],
		[{args: {a: 1}}, 'args: expected a list of strings, or one string split like a shell does, got {"a":1}'],
		[{args: ['-f', null]}, 'args[1]: expected a string, got null'],
		[{args: '-c "echo hi'}, 'args: expected a closing double quote ("), got "-c \\"echo hi"'],
		[{cwd: ''}, 'cwd: expected a path, got ""'],
		[{env: ['A=1']}, 'env: expected a mapping of variable names to strings, got ["A=1"]'],
		[{env: {A: {b: 1}}}, 'env.A: expected a string, got {"b":1}'],
		[{env: {'A=B': 'x'}}, 'env.A=B: expected a variable name without "=" in it, got "A=B"'],
		[{model: 'paralel'}, 'model: expected "dependent", "independent" or "fixed", got "paralel"'],
		[{instances: 10_001}, 'instances: expected an integer from 0 to 10000, got 10001'],
		[{instances: 2.5}, 'instances: expected an integer from 0 to 10000, got 2.5'],
		[{instances: '4'}, 'instances: expected an integer from 0 to 10000, got "4"'],
		[{sleep: -5}, 'sleep: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got -5'],
		[{sleepOnError: '5 minutes'}, 'sleepOnError: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got "5 minutes"'],
		[{warnAfter: true}, 'warnAfter: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got true'],
		[{timeout: '-1'}, 'timeout: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got "-1"'],
		[{stopSignal: 'SIGFOO'}, 'stopSignal: expected a signal name such as "SIGTERM" or "TERM", got "SIGFOO"'],
		[{stopSignal: 15}, 'stopSignal: expected a signal name such as "SIGTERM" or "TERM", got 15'],
		[{stopTimeout: null}, 'stopTimeout: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got null'],
		[{fixedIntervalWait: -2}, 'fixedIntervalWait: expected -1 (wait for a free slot), 0 (stop the oldest run at once) or a duration (seconds, or "500ms", "30s", "5m", "1h"), got -2'],
		[{model: 'fixed', schedule: '* * *'}, 'schedule: expected a 5- or 6-field cron expression such as "*/5 * * * *", got "* * *"'],
		[{model: 'fixed', schedule: '99 * * * *'}, 'schedule: expected a 5- or 6-field cron expression such as "*/5 * * * *", got "99 * * * *": the minute field "99" is not valid'],
		[{schedule: '*/5 * * * *'}, 'model: expected "fixed" because a schedule is set, got nothing'],
		[{model: 'independent', schedule: '*/5 * * * *'}, 'model: expected "fixed" because a schedule is set, got "independent"'],
		[{model: 'fixed', sleep: 0}, 'sleep: expected a duration above 0 (model "fixed" starts a run every `sleep`), got 0'],
		[{exitCodes: [0]}, 'exitCodes: expected a mapping with "done" and/or "more" lists, got [0]'],
		[{exitCodes: {done: 0}}, 'exitCodes.done: expected a list of exit codes from 0 to 255, got 0'],
		[{exitCodes: {more: [256]}}, 'exitCodes.more[0]: expected an exit code from 0 to 255, got 256'],
		[{exitCodes: {done: [0, 64]}}, 'exitCodes: expected "done" and "more" lists that share no code, got 64 in both'],
		[{appendInstanceId: 'yes'}, 'appendInstanceId: expected true or false, got "yes"'],
		[{logFile: 5}, 'logFile: expected a path, got 5'],
		[{errLogFile: ''}, 'errLogFile: expected a path, got ""'],
		[{onChange: 'reload'}, 'onChange: expected "finish" or "restart", got "reload"'],
	];
	for (const [settings, expected] of cases) {
		assert.equal(jobError(settings), `${file}: jobs.emails.${expected}`);
	}
});

test('a missing command says so', () => {
	assert.deepEqual(errorLines({jobs: {emails: {instances: 2}}}), [`${file}: jobs.emails.command: expected a command name or path, got nothing`]);
});

test('top-level keys say what they expect', () => {
	assert.deepEqual(errorLines('jobs'), [`${file}: expected a mapping with a "jobs" key (and optionally "name", "logDir", "runDir", "hold", "quiet", "notify", "metrics", "cluster", "cgroup"), got "jobs"`]);
	assert.deepEqual(errorLines({}), [`${file}: jobs: expected a mapping of job names to jobs, got nothing`]);
	assert.deepEqual(errorLines({jobs: {}}), [`${file}: jobs: expected at least one job, got {}`]);
	assert.deepEqual(errorLines({jobs: [{command: 'x'}]}), [`${file}: jobs: expected a mapping of job names to jobs, got [{"command":"x"}]`]);
	assert.deepEqual(errorLines({jobs: {emails: 'php'}}), [`${file}: jobs.emails: expected a mapping of job settings with at least "command", got "php"`]);
	assert.deepEqual(errorLines({name: 'my site', jobs: {a: {command: 'x'}}}), [`${file}: name: expected a name of letters, digits, "_", "." or "-", got "my site"`]);
	assert.deepEqual(errorLines({logDir: '', runDir: 3, jobs: {a: {command: 'x'}}}), [
		`${file}: logDir: expected a path, got ""`,
		`${file}: runDir: expected a path, got 3`,
	]);
});

test('a job name that cannot name a log file is rejected', () => {
	assert.deepEqual(errorLines({jobs: {'send/emails': {command: 'x'}}}), [`${file}: jobs.send/emails: expected a job name of letters, digits, "_", "." or "-", got "send/emails"`]);
	assert.deepEqual(errorLines({jobs: {'': {command: 'x'}}}), [`${file}: jobs.: expected a job name of letters, digits, "_", "." or "-", got ""`]);
});

test('unknown keys are errors at every level, with a suggestion when one is close', () => {
	const lines = errorLines({nmae: 'x', jobs: {emails: {comand: 'php', command: 'php', exitCodes: {don: [0]}, colour: 'red'}}});
	assert.deepEqual(lines.toSorted(), [
		`${file}: nmae: unknown key (did you mean "name"?)`,
		`${file}: jobs.emails.comand: unknown key (did you mean "command"?)`,
		`${file}: jobs.emails.colour: unknown key`,
		`${file}: jobs.emails.exitCodes.don: unknown key (did you mean "done"?)`,
	].toSorted());
});

test('did-you-mean ignores case and catches swapped letters', () => {
	assert.deepEqual(errorLines({jobs: {a: {command: 'x', sleeponerror: 5, stopTimout: 1, isntances: 2}}}), [
		`${file}: jobs.a.sleeponerror: unknown key (did you mean "sleepOnError"?)`,
		`${file}: jobs.a.stopTimout: unknown key (did you mean "stopTimeout"?)`,
		`${file}: jobs.a.isntances: unknown key (did you mean "instances"?)`,
	]);
});

test('every problem is reported at once, and long values are cut short', () => {
	const lines = errorLines({jobs: {a: {command: 'x', instances: -1, sleep: 'x'.repeat(100)}, b: {command: ''}}});
	assert.equal(lines.length, 3);
	assert.equal(lines[1], `${file}: jobs.a.sleep: expected a duration (seconds, or "500ms", "30s", "5m", "1h"), got "${'x'.repeat(38)}…`);
});

test('the error keeps the problems as data for the TUI and status', () => {
	try {
		validateConfiguration({jobs: {a: {command: 'x', instances: -1}}}, file);
		assert.fail('expected a ConfigError');
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		assert.deepEqual(error.problems, [{path: 'jobs.a.instances', message: 'expected an integer from 0 to 10000, got -1'}]);
		assert.equal(error.name, 'ConfigError');
	}
});
