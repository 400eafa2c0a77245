import {hostname} from 'node:os';
import type {ClusterSettings} from '../core/cluster-settings.js';
import type {Supervisor} from '../core/supervisor.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {clusterPauses} from '../cluster/cluster-pauses.js';
import type {RedisConnection} from '../cluster/connect-redis.js';
import {startFleetPresence, type FleetPresence} from '../cluster/fleet-presence.js';

export type Fleet = {
	/** The supervisor the faces use: cluster pauses in its snapshots, refused resumes by hand (cluster-pauses.ts). */
	supervisor: Supervisor;
	/**
	 * Starts beating and following the cluster pauses on `connection`; resolves once the pauses were read (at once
	 * when Redis is away: they follow when it is back). Call it before the first start.
	 */
	join(connection: RedisConnection): Promise<void>;
	/** Leaves the list of hosts; the connection stays open (its owner closes it). */
	leave(): Promise<void>;
};

/**
 * This fatc in its fleet (issue 17, the view and commands): a heartbeat summary under the cluster key and the cluster
 * pauses applied. Made with the supervisor, before any face uses it; joined once the connection is there. `core`
 * takes the cluster's pauses (not remembered by keep-changes.ts: the store keeps them), `outer` is the supervisor
 * of the person's commands. The beat's snapshot asks no CPU figures: a beat every 2 s must not keep the resource
 * sampler scanning /proc.
 */
export function prepareFleet(options: {settings: ClusterSettings; core: Supervisor; outer: Supervisor; onEvent(event: SupervisorEvent): void; leases?: (job: string) => number | undefined}): Fleet {
	const pauses = clusterPauses(options.onEvent);
	const supervisor = pauses.keep(options.core, options.outer);
	let presence: FleetPresence | undefined;
	return {
		supervisor,
		async join(connection) {
			presence = startFleetPresence({
				connection,
				key: options.settings.key,
				host: hostname(),
				// The beat counts runs (runsTotal) and the pauses read jobs: no run's entry is built.
				snapshot: () => supervisor.snapshot(() => ({offset: 0, limit: 0}), {usage: false}),
				leases: options.leases,
				onPauses(current, snapshot) {
					pauses.apply(current, snapshot);
				},
			});
			await presence.ready;
		},
		async leave() {
			await presence?.close();
		},
	};
}
