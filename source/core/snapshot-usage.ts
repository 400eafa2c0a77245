import type {ResourceReading} from './resource-usage.js';
import type {Snapshot} from './snapshot.js';

/** The snapshot with CPU and memory filled in; unchanged without a reading, so a snapshot stays plain data. */
export function withResourceUsage(snapshot: Snapshot, reading: ResourceReading | undefined): Snapshot {
	if (!reading) {
		return snapshot;
	}

	return {
		...snapshot,
		usage: reading.self,
		jobs: snapshot.jobs.map(job => ({
			...job,
			workers: job.workers.map(worker => {
				const usage = worker.pid === null ? undefined : reading.groups.get(worker.pid);
				return {...worker, cpuPercent: usage?.cpuPercent ?? null, memoryBytes: usage?.memoryBytes ?? null};
			}),
		})),
	};
}
