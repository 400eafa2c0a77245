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

/**
 * A run's time in whole seconds ('<1s' in its first): the cell changes once a second, not in every frame, so a
 * terminal over SSH is sent a changed digit a second per run instead of a ticking cell per frame.
 */
export function formatRunTime(milliseconds: number): string {
	const seconds = Math.floor(Math.max(0, milliseconds) / 1000);
	if (seconds < 1) {
		return '<1s';
	}

	return seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000);
}

/** How long the run has run, from its spawn; '-' while it waits for it. (A daemon older than spawnedAt: from the start.) */
function runTime(worker: WorkerSnapshot, takenAt: number): string {
	if (worker.pid === null) {
		return '-';
	}

	return formatRunTime(takenAt - (worker.spawnedAt ?? worker.startedAt));
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
