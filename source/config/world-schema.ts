import {z} from 'zod';
import {duration, nonEmptyString, parsedField} from './fields.js';
import {isTimeZone, parseQuietWindow} from './quiet-window.js';

/*
 * The keys that make a job aware of the world around its runs (SPEC §6): hold, backlog, wake, quiet. Durations
 * come out in milliseconds, as everywhere; resolve.ts fills in the defaults that depend on other keys.
 */

const seconds = (count: number) => count * 1000;
const expected = (description: string) => ({error: description});
const positiveNumber = z.number(expected('a number above 0')).positive(expected('a number above 0'));
const positiveInteger = z.int(expected('a positive integer')).min(1, expected('a positive integer'));
const countFromZero = z.int(expected('an integer from 0 up')).min(0, expected('an integer from 0 up'));
const shellCommand = nonEmptyString('a shell command (run by /bin/sh -c)');
const interval = duration.refine(value => value > 0, expected('a duration above 0'));

/** `hold: {load: 2.0}` and/or `hold: {command: …}`; `false` on a job turns a global hold off for it. */
const holdObject = z.strictObject({
	load: positiveNumber.optional(),
	release: positiveNumber.optional(),
	command: shellCommand.optional(),
	every: interval.default(seconds(5)),
	releaseAfter: duration.default(0),
	timeout: interval.optional(),
}, expected('a mapping with "load" (per CPU) and/or "command"'))
	.superRefine((hold, context) => {
		if (hold.load === undefined && hold.command === undefined) {
			context.addIssue({code: 'custom', message: '"load" (per CPU) and/or "command"', input: hold});
		}

		if (hold.release !== undefined && (hold.load === undefined || hold.release >= hold.load)) {
			context.addIssue({code: 'custom', message: 'a number below "load"', path: ['release'], input: hold.release});
		}
	});

export const holdSchema = z.union([z.literal(false), holdObject], expected('a mapping with "load" and/or "command", or false'));

/** The top-level `hold`, for every job that sets none. */
export const globalHoldSchema = holdObject;

export const backlogSchema = z.strictObject({
	command: shellCommand,
	every: interval.default(seconds(2)),
	timeout: interval.optional(),
	perRun: positiveInteger.default(1),
	min: countFromZero.default(0),
	max: positiveInteger.optional(),
	step: positiveInteger.optional(),
	cooldown: duration.default(0),
}, expected('a mapping with at least "command"'))
	.superRefine((backlog, context) => {
		if (backlog.max !== undefined && backlog.min > backlog.max) {
			context.addIssue({code: 'custom', message: `at most "max" (${backlog.max})`, path: ['min'], input: backlog.min});
		}
	});

const wakePath = nonEmptyString('a path');

/** `wake: var/wake-emails` or `wake: {path: var/wake-emails}`. */
export const wakeSchema = z.union([wakePath, z.strictObject({path: wakePath})], expected('a path, or a mapping with "path"'))
	.transform(wake => typeof wake === 'string' ? {path: wake} : wake);

const quietWindow = parsedField('a window such as "Mon-Fri 08:00-10:00" or "12:00-13:00"', parseQuietWindow);
const quietWindows = z.array(quietWindow, expected('a list of windows such as "Mon-Fri 08:00-10:00"'))
	.min(1, expected('at least one window'));

const quietObject = z.strictObject({
	windows: quietWindows,
	instances: countFromZero.default(0),
	timezone: z.string(expected('a time zone such as "Europe/Berlin"'))
		.refine(isTimeZone, expected('a time zone such as "Europe/Berlin" or "UTC"')).optional(),
}, expected('a mapping with "windows" (and optionally "instances", "timezone")'));

/** The top-level `quiet`: a list of windows, or `{windows, instances, timezone}`. */
export const globalQuietSchema = z.union(
	[quietWindows.transform(windows => ({windows, instances: 0})), quietObject],
	expected('a list of windows such as "Mon-Fri 08:00-10:00", or a mapping with "windows"'),
);

/** The same on a job, where `false` turns the global quiet hours off for it. */
export const quietSchema = z.union(
	[z.literal(false), globalQuietSchema],
	expected('a list of windows such as "Mon-Fri 08:00-10:00", a mapping with "windows", or false'),
);

const notifyKinds = ['error', 'timeout', 'warning', 'held', 'released', 'recovered', 'probe-failed'] as const;

const notifyObject = z.strictObject({
	on: z.array(z.enum(notifyKinds, expected(`one of ${notifyKinds.map(kind => `"${kind}"`).join(', ')}`)), expected('a list of event kinds'))
		.min(1, expected('at least one event kind'))
		.default(() => ['error' as const, 'timeout' as const]),
	command: shellCommand,
	every: duration.default(seconds(300)),
	timeout: interval.default(seconds(30)),
}, expected('a mapping with at least "command"'));

/** The top-level `notify`, for every job that sets none. */
export const globalNotifySchema = notifyObject;

/** On a job; `false` turns the global notifier off for it. */
export const notifySchema = z.union([z.literal(false), notifyObject], expected('a mapping with at least "command", or false'));

export const logFormatSchema = z.strictObject({
	time: z.boolean(expected('true or false')).default(false),
	run: z.boolean(expected('true or false')).default(false),
}, expected('a mapping with "time" and/or "run"'));

const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

/** `metrics: {listen: "127.0.0.1:9464"}`: loopback unless `public: true`. */
export const metricsSchema = z.strictObject({
	listen: z.string(expected('host:port')).regex(/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/, expected('host:port, such as "127.0.0.1:9464"')).default('127.0.0.1:9464'),
	public: z.boolean(expected('true or false')).default(false),
}, expected('a mapping with "listen" (host:port)'))
	.superRefine((metrics, context) => {
		const host = metrics.listen.slice(0, metrics.listen.lastIndexOf(':'));
		if (!metrics.public && !loopback.test(host)) {
			context.addIssue({code: 'custom', message: 'a loopback address (127.0.0.1, [::1], localhost) unless "public: true"', path: ['listen'], input: metrics.listen});
		}
	});
