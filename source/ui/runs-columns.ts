import type {WorkerSnapshot} from '../core/snapshot.js';
import type {Column} from './columns.js';
import {cleanLine, formatBytes, formatDuration, formatPercent} from './format-cells.js';

/** starting (decided, its process not there yet: no pid) · running · overdue (past warnAfter) · stopping. */
export function runState(worker: WorkerSnapshot): string {
	if (worker.state === 'stopping') {
		return 'stopping';
	}

	if (worker.pid === null) {
		return 'starting';
	}

	return worker.warned ? 'overdue' : 'running';
}

/** How long the run has run, from its spawn; '-' while it waits for it. (A daemon older than spawnedAt: from the start.) */
function runTime(worker: WorkerSnapshot, takenAt: number): string {
	if (worker.pid === null) {
		return '-';
	}

	return formatDuration(Math.max(0, takenAt - (worker.spawnedAt ?? worker.startedAt)));
}

/** The runs table of the selected job: CPU and memory are the whole process group's, from the snapshot. */
export function runColumns(takenAt: number): Array<Column<WorkerSnapshot>> {
	return [
		{title: 'SLOT', width: 4, align: 'right', cell: worker => String(worker.slot)},
		{title: 'RUN', width: 6, align: 'right', dropOrder: 1, cell: worker => `#${worker.runId}`},
		{title: 'PID', width: 7, align: 'right', cell: worker => (worker.pid === null ? '-' : String(worker.pid))},
		{title: 'STATE', width: 8, cell: runState, color: worker => (runState(worker) === 'running' ? 'green' : 'yellow')},
		{title: 'TIME', width: 7, align: 'right', cell: worker => runTime(worker, takenAt)},
		{title: 'CPU', width: 6, align: 'right', cell: worker => formatPercent(worker.cpuPercent)},
		{title: 'MEM', width: 6, align: 'right', cell: worker => formatBytes(worker.memoryBytes)},
		{title: 'LAST LINE', width: 'flex', minimum: 10, cell: worker => cleanLine(worker.lastLine ?? '')},
	];
}
