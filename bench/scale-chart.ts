/**
 * Makes media/scale-chart.svg from bench/results/scale.json: time against N runs, both axes logarithmic, one line per
 * tool and phase (starting all N: solid; taking in their simultaneous ends: dashed). On log-log axes a line's slope is
 * its growth exponent k of time ~ N^k.
 * Usage: node --import tsx bench/scale-chart.ts   (`npm run bench -- --scale …` also calls it after saving)
 * Hand-written SVG: no charting library for a few lines.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Tool} from './lib/contender.js';
import {growthExponent} from './lib/growth.js';
import {describeLoad, type Machine} from './lib/machine.js';
import {repositoryFolder, resultsFolder} from './lib/paths.js';
import type {ScaleResults} from './workloads/scale.js';
import type {ScalePoint} from './workloads/scale-measure.js';
import {chartHead, escapeXml} from './lib/svg.js';

/** What bench/results/scale.json holds (written by bench/run.ts). */
export type ScaleFile = {machine: Machine; scale: ScaleResults};

type Series = {tool: Tool; label: string; colour: string; points(scale: ScaleResults): ScalePoint[]};
const ofTool = (tool: Tool) => (scale: ScaleResults) => scale.points.filter(point => point.tool === tool);
const tools: readonly Series[] = [
	{tool: 'fatc', label: 'fatc', colour: '#d9480f', points: ofTool('fatc')},
	{tool: 'limit', label: 'C program', colour: '#868e96', points: ofTool('limit')},
	// Older scale.json files have no such points.
	{tool: 'limit', label: 'C, pipe + session', colour: '#343a40', points: scale => (scale as Partial<ScaleResults>).limitAsFatc ?? []},
	{tool: 'supervisord', label: 'supervisord', colour: '#1c7ed6', points: ofTool('supervisord')},
	{tool: 'pm2', label: 'PM2', colour: '#2f9e44', points: ofTool('pm2')},
];
const phases = [
	{label: 'starts', pick: (point: ScalePoint) => point.startSeconds, dash: ''},
	{label: 'ends', pick: (point: ScalePoint) => point.endSeconds, dash: ' stroke-dasharray="6 4"'},
] as const;

const width = 760;
const height = 450;
const plot = {left: 70, right: 490, top: 54, bottom: 400};

/** Whole decades around the values, so every tick is 10^k. */
function decades(values: number[]): {low: number; high: number} {
	const low = Math.floor(Math.log10(Math.min(...values)));
	const high = Math.ceil(Math.log10(Math.max(...values)));
	return {low, high: high === low ? low + 1 : high};
}

function tickLabel(exponent: number): string {
	const value = 10 ** exponent;
	return value >= 1 ? value.toLocaleString('en-US') : String(Number(value.toPrecision(1)));
}

/** The chart for these results, as SVG text. */
export function renderScaleChart({machine, scale}: ScaleFile): string {
	const points = scale.points.filter(point => point.startSeconds > 0 && point.endSeconds > 0);
	if (points.length === 0) {
		throw new Error('bench/results/scale.json has no measured points to draw');
	}

	const xRange = decades(points.map(point => point.runs));
	const yRange = decades(points.flatMap(point => [point.startSeconds, point.endSeconds]));
	const x = (runs: number) => plot.left + ((Math.log10(runs) - xRange.low) / (xRange.high - xRange.low)) * (plot.right - plot.left);
	const y = (seconds: number) => plot.bottom - ((Math.log10(seconds) - yRange.low) / (yRange.high - yRange.low)) * (plot.bottom - plot.top);
	const parts: string[] = [];
	for (let exponent = xRange.low; exponent <= xRange.high; exponent++) {
		const at = x(10 ** exponent).toFixed(1);
		parts.push(`<line x1="${at}" y1="${plot.top}" x2="${at}" y2="${plot.bottom}" class="grid"/>`,
			`<text x="${at}" y="${plot.bottom + 18}" class="tick" text-anchor="middle">${tickLabel(exponent)}</text>`);
	}

	for (let exponent = yRange.low; exponent <= yRange.high; exponent++) {
		const at = y(10 ** exponent).toFixed(1);
		parts.push(`<line x1="${plot.left}" y1="${at}" x2="${plot.right}" y2="${at}" class="grid"/>`,
			`<text x="${plot.left - 6}" y="${Number(at) + 4}" class="tick" text-anchor="end">${tickLabel(exponent)}</text>`);
	}

	parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 40}" class="axis" text-anchor="middle">runs of one job started together (N)</text>`,
		`<text x="18" y="${(plot.top + plot.bottom) / 2}" class="axis" text-anchor="middle" transform="rotate(-90 18 ${(plot.top + plot.bottom) / 2})">seconds</text>`);
	let legendY = plot.top + 6;
	for (const {label, colour, points: pick} of tools) {
		const own = pick(scale).filter(point => point.startSeconds > 0 && point.endSeconds > 0).sort((first, second) => first.runs - second.runs);
		if (own.length === 0) {
			continue;
		}

		for (const phase of phases) {
			const exponent = growthExponent(own.map(point => ({runs: point.runs, seconds: phase.pick(point)})));
			const coordinates = own.map(point => `${x(point.runs).toFixed(1)},${y(phase.pick(point)).toFixed(1)}`);
			parts.push(`<polyline points="${coordinates.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${phase.dash}/>`,
				...coordinates.map(coordinate => `<circle cx="${coordinate.split(',')[0]}" cy="${coordinate.split(',')[1]}" r="3" fill="${colour}"/>`),
				`<line x1="${plot.right + 16}" y1="${legendY}" x2="${plot.right + 44}" y2="${legendY}" stroke="${colour}" stroke-width="2"${phase.dash}/>`,
				`<text x="${plot.right + 50}" y="${legendY + 4}" class="legend">${escapeXml(`${label}, ${phase.label}${exponent === undefined ? '' : ` (k ${exponent.toFixed(2)})`}`)}</text>`);
			legendY += 20;
		}
	}

	const failures = scale.failures.filter(failure => !failure.reason.startsWith('not tried'));
	for (const failure of failures.slice(0, 4)) {
		const label = tools.find(entry => entry.tool === failure.tool)?.label ?? failure.tool;
		parts.push(`<text x="${plot.right + 16}" y="${legendY + 10}" class="note">${escapeXml(`${label} failed at ${failure.runs.toLocaleString('en-US')}`)}</text>`);
		legendY += 16;
	}

	const caption = 'Time to start N runs of one job, and to take in their simultaneous ends (log-log: slope = growth exponent k)';
	const conditions = `${machine.date.slice(0, 10)}, ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, `
		+ `${describeLoad(machine)}: one run on a shared machine`;
	return [
		...chartHead(width, height, '.grid{stroke:#e9ecef;stroke-width:1}.tick{font-size:12px;fill:#495057}.axis{font-size:13px;fill:#212529}'
		+ '.legend{font-size:12px;fill:#212529}.note{font-size:11px;fill:#868e96}.caption{font-size:12px;fill:#495057}'),
		`<text x="10" y="20" class="caption">${escapeXml(caption)}</text>`,
		`<text x="10" y="38" class="note">${escapeXml(conditions)}</text>`,
		`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#adb5bd"/>`,
		...parts,
		'</svg>',
		'',
	].join('\n');
}

export function writeScaleChart(results: ScaleFile, file = path.join(repositoryFolder, 'media', 'scale-chart.svg')): string {
	writeFileSync(file, renderScaleChart(results));
	return file;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const results = JSON.parse(readFileSync(path.join(resultsFolder, 'scale.json'), 'utf8')) as ScaleFile;
	process.stdout.write(`wrote ${writeScaleChart(results)}\n`);
}
