import assert from 'node:assert/strict';
import {test} from 'node:test';
import {eventLevel} from '../../source/core/event-level.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {createJsonReporter, createLineReporter, type ReporterOptions} from '../../source/reporters/line-reporter.js';

const time = Date.UTC(2026, 10, 24, 18, 30, 0, 123);
const iso = '2026-11-24T18:30:00.123Z';

/** One event of each level-bearing kind, with its level and its `fatc run` text line. */
const cases: Array<{event: SupervisorEvent; level: string; line: string}> = [
	{
		event: {time, job: 'work', type: 'run-started', runId: 5, slot: 0, pid: 1234, startedAt: time},
		level: 'info',
		line: `${iso} work[0] run 5 started (pid 1234)`,
	},
	{
		event: {time, job: 'work', type: 'run-ended', runId: 5, slot: 0, pid: 1234, result: 'more', code: 64, signal: null, duration: 1000, startedAt: time - 1000},
		level: 'info',
		line: `${iso} work[0] run 5 ended: more (exit 64) after 1.0s`,
	},
	{
		event: {time, job: 'work', type: 'run-ended', runId: 6, slot: 1, pid: 1235, result: 'error', code: 3, signal: null, duration: 2500, startedAt: time - 2500},
		level: 'error',
		line: `${iso} ERROR work[1] run 6 ended: error (exit 3) after 2.5s`,
	},
	{
		event: {time, job: 'work', type: 'run-warning', runId: 7, slot: 1, pid: 4002, runTime: 3_600_000},
		level: 'warn',
		line: `${iso} WARN work[1] warn: run 7 (pid 4002) still running after 1h 00m`,
	},
	{
		event: {time, job: 'work', type: 'run-stopping', runId: 7, slot: 1, pid: 4002, reason: 'timeout'},
		level: 'warn',
		line: `${iso} WARN work[1] run 7 (pid 4002) timed out: stopping`,
	},
	{
		event: {time, job: 'work', type: 'run-stopping', runId: 8, slot: 0, pid: 4003, reason: 'shutdown'},
		level: 'info',
		line: `${iso} work[0] run 8 (pid 4003) stopping (shutdown)`,
	},
	{
		event: {time, job: 'work', type: 'held', reason: 'load 4.1 >= 4'},
		level: 'warn',
		line: `${iso} WARN work held: load 4.1 >= 4 (no new run starts; runs under way finish)`,
	},
	{
		event: {time, job: 'work', type: 'released', heldFor: 90_000},
		level: 'info',
		line: `${iso} work hold ended after 1m 30s`,
	},
	{
		event: {time, job: 'work', type: 'sensor-failed', sensor: 'backlog', message: 'exit 2'},
		level: 'warn',
		line: `${iso} WARN work backlog probe failed, going on without it: exit 2`,
	},
	{
		event: {time, job: 'work', type: 'sensor-recovered', sensor: 'backlog'},
		level: 'info',
		line: `${iso} work backlog probe answers again`,
	},
	{
		event: {time, type: 'log-resumed', file: '/x.log', droppedLines: 2, droppedBytes: 10},
		level: 'warn',
		line: `${iso} WARN fatc log writing resumed: /x.log (2 lines, 10 bytes dropped meanwhile)`,
	},
	{
		event: {time, type: 'supervisor-error', message: 'Could not open log file /x'},
		level: 'error',
		line: `${iso} ERROR fatc error: Could not open log file /x`,
	},
	{
		event: {time, type: 'supervisor-warning', message: 'killed 1 processes that work run 1 left outside its process group: 42'},
		level: 'warn',
		line: `${iso} WARN fatc warn: killed 1 processes that work run 1 left outside its process group: 42`,
	},
	{
		event: {time, type: 'config-error', message: 'a.yml: jobs.x.instances: expected a number'},
		level: 'error',
		line: `${iso} ERROR fatc config not reloaded, the running config stays: a.yml: jobs.x.instances: expected a number`,
	},
	{
		event: {time, type: 'supervisor-started', pid: 99, jobs: 1},
		level: 'info',
		line: `${iso} fatc started (pid 99, 1 job)`,
	},
];

function linesOf(events: SupervisorEvent[], options?: ReporterOptions): string[] {
	let text = '';
	const report = createLineReporter({write: (chunk: string) => (text += chunk)}, options);
	for (const event of events) {
		report(event);
	}

	return text.split('\n').slice(0, -1);
}

function recordsOf(events: SupervisorEvent[], options?: ReporterOptions): string[] {
	let text = '';
	const report = createJsonReporter({write: (chunk: string) => (text += chunk)}, '9.8.7', options);
	for (const event of events) {
		report(event);
	}

	return text.split('\n').slice(0, -1);
}

test('every event has a level: errors for what failed, warnings for what may need a person, info for the rest', () => {
	assert.deepEqual(cases.map(({event}) => `${event.type} ${eventLevel(event)}`), cases.map(({event, level}) => `${event.type} ${level}`));
});

test('fatc run text lines: info lines as they always were, warnings and errors tagged WARN and ERROR after the time', () => {
	assert.deepEqual(linesOf(cases.map(({event}) => event)), cases.map(({line}) => line));
});

test('under journald each text line starts with its syslog priority (<3> error, <4> warning, <6> info) and carries no tag', () => {
	const lines = linesOf(cases.map(({event}) => event), {journal: true});
	const priorities = {error: '<3>', warn: '<4>', info: '<6>'} as Record<string, string>;
	assert.deepEqual(lines, cases.map(({line, level}) => `${priorities[level]}${line.replace(/ (WARN|ERROR) /, ' ')}`));
});

test('--json: time and level first, times as ISO-8601, durations in seconds, the other fields kept, the version last', () => {
	const [ended, warning, released, quiet] = recordsOf([
		cases[2]!.event,
		cases[3]!.event,
		cases[7]!.event,
		{time, job: 'work', type: 'quiet', until: Date.UTC(2026, 10, 24, 22, 0), instances: 0},
	]).map(line => JSON.parse(line) as Record<string, unknown>);
	assert.deepEqual(Object.keys(ended!), ['time', 'level', 'job', 'type', 'runId', 'slot', 'pid', 'result', 'code', 'signal', 'duration', 'startedAt', 'version']);
	assert.deepEqual(ended, {
		time: iso, level: 'error', job: 'work', type: 'run-ended', runId: 6, slot: 1, pid: 1235, result: 'error', code: 3, signal: null,
		duration: 2.5, startedAt: '2026-11-24T18:29:57.623Z', version: '9.8.7',
	});
	assert.deepEqual(warning, {time: iso, level: 'warn', job: 'work', type: 'run-warning', runId: 7, slot: 1, pid: 4002, runTime: 3600, version: '9.8.7'});
	assert.equal(released!['heldFor'], 90);
	assert.equal(quiet!['until'], '2026-11-24T22:00:00.000Z');
});

test('--json under journald: the priority before each JSON object, which journald strips', () => {
	const lines = recordsOf([cases[0]!.event, cases[3]!.event, cases[2]!.event], {journal: true});
	assert.deepEqual(lines.map(line => line.slice(0, 3)), ['<6>', '<4>', '<3>']);
	assert.equal((JSON.parse(lines[1]!.slice(3)) as {level: string}).level, 'warn');
});
