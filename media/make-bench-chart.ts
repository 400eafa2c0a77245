/**
 * Makes media/bench-chart.svg from bench/results/latest.json: one panel of bars per key figure (restart throughput,
 * reaction latency, memory at scale, output throughput), one bar per tool, fatc's in its own colour.
 * Usage: node --import tsx media/make-bench-chart.ts   (`npm run bench` also calls it after saving its results)
 * Hand-written SVG: no charting library to install for four bar groups.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Peer, Results, Row, Value} from '../bench/lib/report.js';
import {chartHead, escapeXml} from '../bench/lib/svg.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools: ReadonlyArray<{key: 'fatc' | Peer; label: string; colour: string}> = [
	{key: 'fatc', label: 'fatc', colour: '#d9480f'},
	{key: 'limit', label: 'C limit', colour: '#868e96'},
	{key: 'supervisord', label: 'supervisord', colour: '#1c7ed6'},
	{key: 'pm2', label: 'PM2', colour: '#2f9e44'},
];

/** A log scale where one tool is 100× the others (supervisord's reaction time): linear bars would hide the rest. */
type Panel = {title: string; pattern: RegExp; better: 'higher' | 'lower'; unit: string; scale?: 'log'};
const panels: Panel[] = [
	{title: 'Restart throughput', pattern: /^1\..*runs\/s/, better: 'higher', unit: 'runs/s'},
	{title: 'Reaction latency p50', pattern: /^2\..*p50/, better: 'lower', unit: 'ms', scale: 'log'},
	{title: 'RSS with 1,000 sleeping runs', pattern: /^3\..*RSS/, better: 'lower', unit: 'MB'},
	{title: 'Output reaching the logs', pattern: /^4\..*MB\/s/, better: 'higher', unit: 'MB/s'},
];

const width = 760;
const panelHeight = 150;
const barHeight = 22;
const labelWidth = 110;
const valueWidth = 150;
const margin = 10;

function valueOf(row: Row, key: 'fatc' | Peer): Value | undefined {
	return key === 'fatc' ? row.fatc : row.peers[key];
}

function format(value: number): string {
	return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

function renderPanel(panel: Panel, row: Row | undefined, top: number): string {
	const scale = panel.scale === 'log' ? ', log scale' : '';
	const parts = [`<text x="${margin}" y="${top + 16}" class="title">${escapeXml(panel.title)} (${panel.unit}, ${panel.better} is better${scale})</text>`];
	const values = tools.map(tool => ({tool, value: row === undefined ? undefined : valueOf(row, tool.key)}));
	const largest = Math.max(1e-9, ...values.map(({value}) => (typeof value === 'number' ? value : 0)));
	const barSpace = width - labelWidth - valueWidth;
	for (const [index, {tool, value}] of values.entries()) {
		const y = top + 28 + (index * (barHeight + 6));
		parts.push(`<text x="${labelWidth - 8}" y="${y + 16}" class="label" text-anchor="end">${tool.label}</text>`);
		if (typeof value === 'number') {
			const share = panel.scale === 'log' ? Math.log10(1 + value) / Math.log10(1 + largest) : value / largest;
			const length = Math.max(2, share * barSpace);
			parts.push(
				`<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${tool.colour}" rx="2"/>`,
				`<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 16}" class="value">${format(value)}</text>`,
			);
		} else {
			parts.push(`<text x="${labelWidth + 6}" y="${y + 16}" class="missing">${value === undefined ? '—' : 'n/a'}</text>`);
		}
	}

	return parts.join('\n');
}

/** The chart for these results, as SVG text. */
export function renderChart(results: Results): string {
	const height = 40 + (panels.length * panelHeight) + 20;
	const body = panels.map((panel, index) => renderPanel(panel, results.rows.find(row => panel.pattern.test(`${row.workload} ${row.figure}`)), 40 + (index * panelHeight)));
	const machine = results.machine;
	const caption = `fatc benchmarks, ${machine.date.slice(0, 10)}: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}; one run on a shared machine (load ${machine.loadAtStart.toFixed(1)} at start), noisy`;
	return [
		...chartHead(width, height, '.title{font-size:15px;font-weight:bold;fill:#212529}.label{font-size:13px;fill:#343a40}.value{font-size:13px;fill:#212529}'
		+ '.missing{font-size:13px;fill:#adb5bd}.caption{font-size:12px;fill:#495057}'),
		`<text x="${margin}" y="20" class="caption">${escapeXml(caption)}</text>`,
		...body,
		'</svg>',
		'',
	].join('\n');
}

export function writeChart(results: Results, file = path.join(here, 'bench-chart.svg')): string {
	writeFileSync(file, renderChart(results));
	return file;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const results = JSON.parse(readFileSync(path.join(here, '..', 'bench', 'results', 'latest.json'), 'utf8')) as Results;
	process.stdout.write(`wrote ${writeChart(results)}\n`);
}
