import type {Configuration} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {createClusterLeases, type ClusterLeases} from '../cluster/cluster-leases.js';
import {hostIdentity, type RedisConnection} from '../cluster/connect-redis.js';

/**
 * The cluster limits of a config with `cluster` (issue 17): the leases port the core counts its cluster-limited
 * starts through, made before the supervisor; `use` hands it the connection once it is there. Redis unreachable at
 * start with `onUnavailable: local` (the connection is made anyway): every limit is this host's for the life of this
 * fatc, and one warning says so. (With `fail`, connecting threw before.)
 */
export function prepareClusterLimits(configuration: Configuration, onEvent: (event: SupervisorEvent) => void): {leases: ClusterLeases; use(connection: RedisConnection): void} | undefined {
	const {cluster} = configuration;
	if (!cluster) {
		return undefined;
	}

	const leases = createClusterLeases({
		settings: cluster,
		owner: hostIdentity(configuration.name),
		// The jobs told when Redis goes or comes back: those of the config fatc started with.
		jobs: () => configuration.jobs.filter(job => job.cluster !== undefined).map(job => job.name),
	});
	return {
		leases,
		use(connection) {
			// A Redis lost since it was reached is a run-time loss (no new start until it is back), never local limits.
			if (connection.reachedAtStart) {
				leases.connect(connection);
				return;
			}

			leases.goLocal();
			onEvent({time: Date.now(), type: 'cluster-local', reason: `cannot reach Redis at ${cluster.redis.shown}`});
		},
	};
}
