import {hostname, userInfo} from 'node:os';
import {didYouMean} from '../config/did-you-mean.js';
import type {Configuration} from '../core/job-definition.js';
import {connectRedis, describeRedisError, RedisUnavailableError, type RedisConnection} from '../cluster/connect-redis.js';
import {readFleet, readPauses, setPause} from '../cluster/fleet-store.js';
import {formatClusterStatus} from './format-cluster-status.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

export const clusterUsage = 'usage: fatc cluster status [--json] | fatc cluster pause JOB | fatc cluster resume JOB';

/**
 * `fatc cluster status|pause|resume`: the fleet through the store, with no local daemon needed (only the config's
 * `cluster`). Exit 2 for a wrong command line or a config without `cluster`, 3 when Redis cannot be reached (as
 * for a daemon that does not run: nothing to talk to), else 0.
 */
export async function clusterCommand(configuration: Configuration, args: string[], options: {json: boolean; output: Output; errors: Output}): Promise<number> {
	const [command, job, ...extra] = args;
	const takesJob = command === 'pause' || command === 'resume';
	if (!(command === 'status' || takesJob) || (takesJob ? job === undefined || extra.length > 0 : job !== undefined)) {
		throw new UsageError(command === undefined || command === 'status' || takesJob ? clusterUsage : `unknown cluster command "${command}"; ${clusterUsage}`);
	}

	const {cluster} = configuration;
	if (!cluster) {
		throw new UsageError(`${configuration.configFile ?? 'the config'}: no "cluster" in the config (cluster: {redis: URL, key: NAME}), so no fleet to show or steer`);
	}

	const names = configuration.jobs.map(each => each.name);
	let connection: RedisConnection | undefined;
	try {
		connection = await connectRedis(cluster);
		const {redis} = connection;
		if (command === 'status') {
			const view = await readFleet(redis, cluster.key);
			options.output.write(options.json ? `${JSON.stringify(view, undefined, 2)}\n` : formatClusterStatus(view, Date.now()));
			return 0;
		}

		// A job of the config, or (to lift it) one paused across the cluster that this config no longer has.
		const pauses = await readPauses(redis, cluster.key);
		if (!names.includes(job!) && !(command === 'resume' && pauses.has(job!))) {
			throw new UsageError(`no job named "${job}"${didYouMean(job!, names)}; jobs: ${names.join(', ') || 'none'}`);
		}

		if (command === 'resume' && !pauses.has(job!)) {
			options.output.write(`${job}: not paused across the cluster "${cluster.key}"; nothing to resume\n`);
			return 0;
		}

		const listening = await setPause(redis, cluster.key, job!, command === 'pause' ? {since: Date.now(), from: `${userInfo().username}@${hostname()}`} : undefined);
		const told = `${listening} fatc told now`;
		options.output.write(command === 'pause'
			? `${job}: paused across the cluster "${cluster.key}" (${told}; one that starts or comes back later picks it up)\n`
			: `${job}: resumed across the cluster "${cluster.key}" (${told}; a fatc that paused it by hand too keeps it paused)\n`);
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			throw error;
		}

		options.errors.write(`fatc: ${error instanceof RedisUnavailableError ? error.message : `cluster ${command}: ${describeRedisError(cluster, error)}`}\n`);
		return 3;
	} finally {
		await connection?.close();
	}
}
