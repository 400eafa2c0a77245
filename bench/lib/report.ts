import type {Machine} from './machine.js';
import {machineLine} from './machine.js';

export type Peer = 'limit' | 'supervisord' | 'pm2';
export const peers: readonly Peer[] = ['limit', 'supervisord', 'pm2'];

/** A figure, or why there is none ("n/a" in the table, the reason in the notes). */
export type Value = number | {missing: string};

/** One line of the table: one figure of one workload, for fatc and whichever peers have it. */
export type Row = {
	workload: string;
	figure: string;
	fatc: Value;
	/** Only the peers this figure means something for; the others print as "—". */
	peers: Partial<Record<Peer, Value>>;
	/** Shown when a ratio beside fatc's figure is meaningful (not for "bytes lost", 0 ÷ 0). */
	ratios: boolean;
	target?: string;
	/** Whether fatc meets the target; undefined when there is no target or no figure. */
	met?: boolean;
	/** When it misses: by how much, in words ("3.8× the 5 ms allowed"). */
	shortfall?: string;
};

/** Fills `met` and `shortfall` for a target "at most / at least `bound`". */
export function judge(value: Value, bound: number, direction: 'at most' | 'at least', unit: string): Pick<Row, 'met' | 'shortfall'> {
	if (!isNumber(value)) {
		return {};
	}

	const met = direction === 'at most' ? value <= bound : value >= bound;
	if (met) {
		return {met};
	}

	const factor = direction === 'at most' ? value / bound : bound / value;
	const shortfall = direction === 'at most'
		? `${formatNumber(value)} ${unit} is ${formatNumber(factor)}× the ${formatNumber(bound)} ${unit} allowed`
		: `${formatNumber(value)} ${unit} needs ${formatNumber(factor)}× more to reach ${formatNumber(bound)} ${unit}`;
	return {met, shortfall};
}

/**
 * Issue 12's rule for a latency: at most `bound`, or where the machine is too slow for that (the C limit itself is
 * above it), at most `factor` × the C limit's own figure in the same run.
 */
export function judgeLatency(value: Value, limit: Value | undefined, bound: number, factor: number): Pick<Row, 'met' | 'shortfall'> {
	if (!isNumber(value)) {
		return {};
	}

	if (value <= bound || (isNumber(limit) && value <= factor * limit)) {
		return {met: true};
	}

	const beside = isNumber(limit) ? `, ${formatNumber(value / limit)}× the limit's ${formatNumber(limit)} ms (${factor}× allowed)` : '';
	return {met: false, shortfall: `${formatNumber(value)} ms is over ${bound} ms${beside}`};
}

export type Results = {
	machine: Machine;
	mode: 'full' | 'smoke';
	rows: Row[];
	notes: string[];
	/** fatc's hottest functions under `node --cpu-prof`, when it missed a speed target. */
	profile?: unknown;
};

export function isNumber(value: Value | undefined): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** Enough digits to compare, never more: 2,931 · 41.7 · 3.25 · 0.042. */
export function formatNumber(value: number): string {
	const magnitude = Math.abs(value);
	if (magnitude >= 1000) {
		return Math.round(value).toLocaleString('en-US');
	}

	if (magnitude >= 100) {
		return value.toFixed(0);
	}

	if (magnitude >= 10) {
		return value.toFixed(1);
	}

	if (magnitude >= 1 || magnitude === 0) {
		return value.toFixed(2);
	}

	return value.toPrecision(2);
}

function cell(value: Value | undefined): string {
	if (value === undefined) {
		return '—';
	}

	return isNumber(value) ? formatNumber(value) : 'n/a';
}

function ratio(fatc: Value, peer: Value | undefined): string {
	if (!isNumber(fatc) || !isNumber(peer) || peer === 0) {
		return '—';
	}

	return `${formatNumber(fatc / peer)}×`;
}

/** The one table `npm run bench` prints and readme.md shows. */
export function renderTable(results: Results): string {
	const header = ['workload', 'figure', 'fatc', 'C limit', 'supervisord', 'PM2', 'fatc ÷ limit', 'fatc ÷ supervisord', 'fatc ÷ PM2', 'target', 'met?'];
	const lines = [
		`| ${header.join(' | ')} |`,
		`|${header.map((_, index) => (index >= 2 && index <= 8 ? '---:' : '---')).join('|')}|`,
	];
	for (const row of results.rows) {
		const ratios = peers.map(peer => (row.ratios ? ratio(row.fatc, row.peers[peer]) : '—'));
		const met = row.met === undefined ? '—' : (row.met ? 'yes' : '**no**');
		lines.push(`| ${[
			row.workload,
			row.figure,
			cell(row.fatc),
			...peers.map(peer => cell(row.peers[peer])),
			...ratios,
			row.target ?? '—',
			met,
		].join(' | ')} |`);
	}

	return lines.join('\n');
}

/** Why each "n/a" is one, once per reason. */
export function missingReasons(results: Results): string[] {
	const reasons = new Set<string>();
	for (const row of results.rows) {
		for (const [tool, value] of [['fatc', row.fatc], ...Object.entries(row.peers)] as Array<[string, Value]>) {
			if (!isNumber(value)) {
				reasons.add(`${tool}: ${value.missing}`);
			}
		}
	}

	return [...reasons];
}

/** One line per missed target: what, by how much. */
export function misses(results: Results): string[] {
	return results.rows
		.filter(row => row.met === false)
		.map(row => `fatc misses "${row.workload}: ${row.figure}" (target ${row.target ?? '?'})${row.shortfall ? `: ${row.shortfall}` : ''}.`);
}

export function renderReport(results: Results): string {
	const reasons = missingReasons(results);
	return [
		`Machine: ${machineLine(results.machine)}`,
		'',
		renderTable(results),
		'',
		...misses(results).map(miss => `- ${miss}`),
		...results.notes.map(note => `- ${note}`),
		...reasons.map(reason => `- n/a — ${reason}`),
	].join('\n');
}
