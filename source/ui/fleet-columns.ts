import type {Column} from './columns.js';
import type {FleetRow} from './fleet-rows.js';
import {formatNextStart, jobColumns} from './jobs-columns.js';

/**
 * The fleet table: the jobs table's columns (jobs-columns.ts) read from each row's job — a job's fleet totals or one
 * host's job — with HOST after JOB. A host's row is indented under its job; an unreachable host's cells are blank
 * and its STATE reads "down".
 */
export function fleetColumns(options: {withBacklog?: boolean; unicode?: boolean} = {}): Array<Column<FleetRow>> {
	const {unicode = true} = options;
	const [open, closed] = unicode ? ['▾', '▸'] : ['-', '+'];
	return jobColumns(0, options).flatMap((column): Array<Column<FleetRow>> => {
		if (column.title === 'JOB') {
			return [
				{...column, cell: row => (row.kind === 'job' ? `${row.expanded ? open : closed} ${row.name}` : `  ${row.name}`), color: undefined},
				{title: 'HOST', width: 12, cell: hostCell, color: row => (isDown(row) ? 'red' : undefined)},
			];
		}

		if (column.title === 'STATE') {
			return [{...column, cell: row => (row.job === null ? 'down' : column.cell(row.job)), color: row => (row.job === null ? 'red' : column.color?.(row.job))}];
		}

		if (column.title === 'NEXT') {
			return [{...column, cell: row => (row.job === null ? '' : formatNextStart(row.job, row.takenAt)), color: row => (row.job === null ? undefined : column.color?.(row.job))}];
		}

		return [{...column, cell: row => (row.job === null ? '' : column.cell(row.job)), color: row => (row.job === null ? undefined : column.color?.(row.job))}];
	});
}

/** A host's name; for a job, how many hosts have it ("3 hosts", or "2 of 3" while one is unreachable). */
function hostCell(row: FleetRow): string {
	if (row.kind === 'host') {
		return row.host;
	}

	return row.reachable === row.hosts ? `${row.hosts} ${row.hosts === 1 ? 'host' : 'hosts'}` : `${row.reachable} of ${row.hosts}`;
}

function isDown(row: FleetRow): boolean {
	return row.kind === 'host' ? row.job === null : row.reachable < row.hosts;
}
