import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ConfigError} from '../../source/config/errors.js';
import {validateConfiguration} from '../../source/config/load-configuration.js';
import {parseQuietWindow} from '../../source/config/quiet-window.js';

const file = '/srv/app/.fatcontrollerrc';

function errorOf(raw: unknown): string {
	try {
		validateConfiguration(raw, file);
	} catch (error) {
		assert.ok(error instanceof ConfigError);
		return error.message;
	}

	assert.fail('expected a ConfigError');
}

test('hold, backlog, wake and quiet resolve with their defaults, durations in milliseconds, paths absolute', () => {
	const [job] = validateConfiguration({jobs: {emails: {
		command: 'php',
		instances: 8,
		hold: {load: 2},
		backlog: {command: 'psql -tAc "select count(*) from emails"', perRun: 20},
		wake: 'var/wake-emails',
		quiet: ['Mon-Fri 08:00-10:00'],
	}}}, file).jobs;
	assert.deepEqual(job!.hold, {load: 2, release: 1.6, every: 5000, releaseAfter: 0, timeout: 10_000});
	assert.deepEqual(job!.backlog, {command: 'psql -tAc "select count(*) from emails"', every: 2000, timeout: 10_000, perRun: 20, min: 0, cooldown: 0});
	assert.deepEqual(job!.wake, {path: '/srv/app/var/wake-emails'});
	assert.deepEqual(job!.quiet, {windows: [{text: 'Mon-Fri 08:00-10:00', opens: '0 8 * * 1,2,3,4,5', closes: '0 10 * * 1,2,3,4,5'}], instances: 0});
});

test('a global hold and quiet apply to every job that sets none; a job turns them off with false', () => {
	const {jobs} = validateConfiguration({
		hold: {command: 'test -e /tmp/peak', every: '1s'},
		quiet: {windows: ['12:00-13:00'], instances: 1, timezone: 'Europe/Berlin'},
		jobs: {a: {command: 'x'}, b: {command: 'x', hold: false, quiet: false}, c: {command: 'x', hold: {load: 4}}},
	}, file);
	assert.equal(jobs[0]!.hold?.command, 'test -e /tmp/peak');
	assert.equal(jobs[0]!.quiet?.timezone, 'Europe/Berlin');
	assert.equal(jobs[1]!.hold, undefined);
	assert.equal(jobs[1]!.quiet, undefined);
	assert.deepEqual(jobs[2]!.hold, {load: 4, release: 3.2, every: 5000, releaseAfter: 0, timeout: 10_000});
});

test('quiet windows: day ranges, lists, past midnight; bad ones are refused', () => {
	assert.deepEqual(parseQuietWindow('Sat,Sun 22:00-06:30'), {text: 'Sat,Sun 22:00-06:30', opens: '0 22 * * 0,6', closes: '30 6 * * 0,1'});
	assert.deepEqual(parseQuietWindow('Fri-Mon 9:00-17:00')?.opens, '0 9 * * 0,1,5,6');
	for (const bad of ['08:00-08:00', 'Mon-Fry 08:00-10:00', '25:00-26:00', '8-10', 7]) {
		assert.equal(parseQuietWindow(bad), undefined, String(bad));
	}
});

test('each bad world key gets one line naming its path and what was expected', () => {
	const job = (settings: Record<string, unknown>) => errorOf({jobs: {emails: {command: 'php', ...settings}}});
	assert.equal(job({hold: {load: -1}}), `${file}: jobs.emails.hold.load: expected a number above 0, got -1`);
	assert.equal(job({hold: {}}), `${file}: jobs.emails.hold: expected "load" (per CPU) and/or "command", got {}`);
	assert.equal(job({hold: {load: 2, release: 3}}), `${file}: jobs.emails.hold.release: expected a number below "load", got 3`);
	assert.equal(job({hold: {lod: 2}}), `${file}: jobs.emails.hold.lod: unknown key (did you mean "load"?)`);
	assert.equal(job({backlog: {command: 'x', every: 0}}), `${file}: jobs.emails.backlog.every: expected a duration above 0, got 0`);
	assert.equal(job({backlog: {command: 'x'}, model: 'fixed'}), `${file}: jobs.emails.model: expected "dependent" or "independent" because a backlog is set (a fixed job runs on its clock), got "fixed"`);
	assert.equal(job({quiet: ['Mon-Fri 8-10']}), `${file}: jobs.emails.quiet[0]: expected a window such as "Mon-Fri 08:00-10:00" or "12:00-13:00", got "Mon-Fri 8-10"`);
	assert.equal(job({quiet: {windows: ['12:00-13:00'], timezone: 'Mars/Base'}}), `${file}: jobs.emails.quiet.timezone: expected a time zone such as "Europe/Berlin" or "UTC", got "Mars/Base"`);
	assert.equal(job({wake: 3}), `${file}: jobs.emails.wake: expected a path, or a mapping with "path", got 3`);
});
