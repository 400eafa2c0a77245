import type {FleetView} from '../cluster/fleet-view.js';
import {beatExpiry} from '../cluster/fleet-view.js';
import {formatClockTime, formatDuration} from '../reporters/format-duration.js';

/**
 * `fatc cluster status`: one line per fatc of the key (host, name, pid, up, last beat: stale once three beats are
 * missed), one indented line per job, then the jobs paused across the cluster. `now`: the reader's clock, for the
 * uptimes and pause times (which the hosts' clocks wrote); the ages come from the store.
 */
export function formatClusterStatus(view: FleetView, now: number): string {
	const hosts = new Set(view.hosts.map(entry => entry.host)).size;
	const lines = [view.hosts.length === 0
		? `cluster "${view.key}": no fatc has beaten in the last ${formatDuration(beatExpiry)}`
		: `cluster "${view.key}": ${view.hosts.length} fatc on ${hosts} ${hosts === 1 ? 'host' : 'hosts'}`];
	const rows = [['HOST', 'NAME', 'PID', 'UP', 'LAST BEAT']];
	for (const entry of view.hosts) {
		const stale = entry.stale ? `, stale (gone ${formatDuration(Math.max(0, beatExpiry - entry.ageMs))} from now unless it beats)` : '';
		rows.push([entry.host, entry.name, String(entry.pid), formatDuration(Math.max(0, now - entry.startedAt)), `${formatDuration(entry.ageMs)} ago${stale}`]);
	}

	if (view.hosts.length > 0) {
		const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
		for (const [index, row] of rows.entries()) {
			lines.push(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
			const entry = view.hosts[index - 1];
			const nameWidth = Math.max(0, ...entry?.jobs.map(job => job.name.length) ?? []);
			for (const job of entry?.jobs ?? []) {
				const state = [
					...(job.clusterPaused ? ['paused (cluster)'] : job.paused ? ['paused'] : []),
					...(job.held === null ? [] : [`held: ${job.held}`]),
				];
				const leases = job.leases === undefined ? '' : `, ${job.leases} cluster ${job.leases === 1 ? 'lease' : 'leases'}`;
				lines.push(`  ${job.name.padEnd(nameWidth)}  ${job.running}/${job.instances} running${leases}, ${job.started} started${state.map(part => `, ${part}`).join('')}`);
			}
		}
	}

	for (const pause of view.paused) {
		lines.push(`paused across the cluster: ${pause.job} since ${formatClockTime(pause.since, now)} by ${pause.from}`);
	}

	return `${lines.join('\n')}\n`;
}
