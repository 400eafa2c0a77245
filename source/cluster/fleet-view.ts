import type {ClusterPause} from '../core/snapshot.js';
import type {HostSummary} from './host-summary.js';

/** How often a fatc publishes its summary. */
export const beatInterval = 2000;
/** A host whose last beat is older than this is shown as stale: three beats missed. */
export const staleAfter = 3 * beatInterval;
/**
 * A summary's key lives this long after its beat: a host that stopped beating is gone from the list then. Long
 * enough that a stale host is seen as such for a while (and a slow Redis or a paused VM does not make hosts vanish).
 */
export const beatExpiry = 30_000;

/** One fatc of the key, as `fatc cluster status` lists it. */
export type HostEntry = HostSummary & {
	/** Since its last beat, by the store's clock (the key's time to live), not the host's. */
	ageMs: number;
	stale: boolean;
};

/** Everything `fatc cluster status` shows (and prints with --json). */
export type FleetView = {
	key: string;
	hosts: HostEntry[];
	/** The jobs paused across the cluster, by name. */
	paused: Array<{job: string} & ClusterPause>;
};

/** A summary and what is left of its key's life → its entry: its age and whether it is stale. */
export function hostEntry(summary: HostSummary, remainingMs: number): HostEntry {
	const ageMs = Math.max(0, beatExpiry - remainingMs);
	return {...summary, ageMs, stale: ageMs > staleAfter};
}
