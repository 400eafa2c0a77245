import {z} from 'zod';
import {
	argumentList, cronExpression, duration, exitCode, fixedIntervalWait, instanceCount, nonEmptyString,
	safeName, scalarText, signalName,
} from './fields.js';
import {
	backlogSchema, globalHoldSchema, globalNotifySchema, globalQuietSchema, holdSchema, logFormatSchema, metricsSchema, notifySchema,
	quietSchema, wakeSchema,
} from './world-schema.js';
import {clusterKeys, clusterSchema, jobClusterKeys, jobClusterSchema} from './cluster-schema.js';

/*
 * The config file as written (SPEC §3), with the original Fat Controller's defaults applied.
 * Durations come out in milliseconds; paths stay as written (resolve.ts makes them absolute).
 * Every object is strict: an unknown key is an error.
 */

const seconds = (count: number) => count * 1000;
const expected = (description: string) => ({error: description});
const path = nonEmptyString('a path');

const exitCodeList = z.array(exitCode, expected('a list of exit codes from 0 to 255'));

const exitCodesShape = {
	done: exitCodeList.default(() => [0]),
	more: exitCodeList.default(() => [64]),
};

const exitCodes = z.strictObject(exitCodesShape, expected('a mapping with "done" and/or "more" lists'))
	.superRefine((codes, context) => {
		const shared = codes.done.filter(code => codes.more.includes(code));
		if (shared.length > 0) {
			context.addIssue({
				code: 'custom',
				message: '"done" and "more" lists that share no code',
				params: {got: `${shared.join(', ')} in both`},
				input: codes,
			});
		}
	})
	.default(() => ({done: [0], more: [64]}));

const jobShape = {
	command: nonEmptyString('a command name or path'),
	args: argumentList.default(() => []),
	cwd: path.optional(),
	env: z.record(
		z.string().regex(/^[^=\0]+$/, expected('a variable name without "=" in it')),
		scalarText,
		expected('a mapping of variable names to strings'),
	).default(() => ({})),
	model: z.enum(['dependent', 'independent', 'fixed'], expected('"dependent", "independent" or "fixed"'))
		.default('dependent'),
	instances: instanceCount.default(1),
	sleep: duration.default(seconds(30)),
	sleepOnError: duration.default(seconds(300)),
	warnAfter: duration.default(seconds(3600)),
	timeout: duration.default(0),
	stopSignal: signalName.default('SIGTERM'),
	stopTimeout: duration.default(seconds(30)),
	fixedIntervalWait: fixedIntervalWait.default(-1),
	schedule: cronExpression.optional(),
	exitCodes,
	appendInstanceId: z.boolean(expected('true or false')).default(false),
	logFile: path.optional(),
	errLogFile: path.optional(),
	onChange: z.enum(['finish', 'restart'], expected('"finish" or "restart"')).default('finish'),
	hold: holdSchema.optional(),
	backlog: backlogSchema.optional(),
	wake: wakeSchema.optional(),
	quiet: quietSchema.optional(),
	notify: notifySchema.optional(),
	logFormat: logFormatSchema.optional(),
	cluster: jobClusterSchema.optional(),
};

const job = z.strictObject(jobShape, expected('a mapping of job settings with at least "command"'))
	.superRefine((definition, context) => {
		if (definition.schedule !== undefined && definition.model !== 'fixed') {
			context.addIssue({
				code: 'custom',
				message: '"fixed" because a schedule is set',
				path: ['model'],
				input: definition.model,
			});
		}

		if (definition.backlog !== undefined && definition.model === 'fixed') {
			context.addIssue({
				code: 'custom',
				message: '"dependent" or "independent" because a backlog is set (a fixed job runs on its clock)',
				path: ['model'],
				input: definition.model,
			});
		}

		if (definition.cluster?.once === true && definition.model !== 'fixed') {
			context.addIssue({
				code: 'custom',
				message: '"fixed" because cluster.once is set (once is per due tick of a fixed job)',
				path: ['model'],
				input: definition.model,
			});
		}

		if (definition.model === 'fixed' && definition.schedule === undefined && definition.sleep === 0) {
			context.addIssue({
				code: 'custom',
				message: 'a duration above 0 (model "fixed" starts a run every `sleep`)',
				path: ['sleep'],
				input: definition.sleep,
			});
		}
	});

const configurationShape = {
	name: safeName('a name').default('fatc'),
	logDir: path.optional(),
	runDir: path.optional(),
	/** For every job that sets none of its own. */
	hold: globalHoldSchema.optional(),
	quiet: globalQuietSchema.optional(),
	notify: globalNotifySchema.optional(),
	metrics: metricsSchema.optional(),
	/** Limits across hosts, on Redis; a job's own `cluster` needs it. */
	cluster: clusterSchema.optional(),
	/** false: no cpu cgroup for fatc and its runs (driver/run-cgroup.ts); each run is a scheduling group of its own under autogroup. */
	cgroup: z.boolean(expected('true or false')).optional(),
	jobs: z.record(safeName('a job name'), job, expected('a mapping of job names to jobs'))
		.refine(jobs => Object.keys(jobs).length > 0, expected('at least one job')),
};

/** The whole file. Parse with `safeParse` and turn issues into problems with `formatIssues`. */
export const configurationSchema = z.strictObject(
	configurationShape,
	expected('a mapping with a "jobs" key (and optionally "name", "logDir", "runDir", "hold", "quiet", "notify", "metrics", "cluster", "cgroup")'),
).superRefine((configuration, context) => {
	if (configuration.cluster !== undefined) {
		return;
	}

	for (const [name, job] of Object.entries(configuration.jobs)) {
		if (job.cluster !== undefined) {
			context.addIssue({
				code: 'custom',
				message: 'a top-level "cluster: {redis, key}" to count it in',
				path: ['jobs', name, 'cluster'],
				input: job.cluster,
				params: {got: 'none'},
			});
		}
	}
});

/** The file, validated, defaults applied, durations in milliseconds; paths not yet resolved. */
export type RawConfiguration = z.output<typeof configurationSchema>;

/** One job of {@link RawConfiguration}. */
export type RawJob = z.output<typeof job>;

/** Keys valid at each level, for "did you mean". */
export const validKeys = {
	configuration: Object.keys(configurationShape),
	job: Object.keys(jobShape),
	exitCodes: Object.keys(exitCodesShape),
	hold: ['load', 'release', 'command', 'every', 'releaseAfter', 'timeout'],
	backlog: ['command', 'every', 'timeout', 'perRun', 'min', 'max', 'step', 'cooldown'],
	quiet: ['windows', 'instances', 'timezone'],
	notify: ['on', 'command', 'every', 'timeout'],
	logFormat: ['time', 'run'],
	metrics: ['listen', 'public'],
	cluster: clusterKeys,
	jobCluster: jobClusterKeys,
} as const;
