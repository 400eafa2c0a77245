/**
 * Makes media/fatc-tui.svg: the real `fatc` TUI on the bundled example config, in a 100×26 tmux pane, after a few
 * seconds of running, turned from tmux's ANSI capture into an SVG (no screenshot tool needed, the text stays text).
 * Usage: npm run build && node --import tsx media/make-tui-picture.ts [SECONDS]
 */
import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {escapeXml} from '../bench/lib/svg.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.argv[2] ?? 9);
// Wide enough for every column (at 80 columns MODEL and LAST give way to the job names).
const columns = 100;
const rows = 26;

const palette = ['#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6', '#666666', '#d54e53', '#b9ca4a', '#e7c547', '#7aa6da', '#c397d8', '#70c0b1', '#eaeaea'];
const background = '#1d1f21';
const foreground = '#c5c8c6';

type Style = {foreground?: string; background?: string; bold: boolean; dim: boolean; inverse: boolean};
type Cell = {text: string; style: Style};

/** Follows the SGR codes tmux's `capture-pane -e` writes: colours (16, 256, RGB), bold, dim, inverse, resets. */
function applySgr(style: Style, parameters: number[]): Style {
	const next = {...style};
	for (let index = 0; index < parameters.length; index++) {
		const code = parameters[index]!;
		if (code === 0) {
			Object.assign(next, {foreground: undefined, background: undefined, bold: false, dim: false, inverse: false});
		} else if (code === 1) {
			next.bold = true;
		} else if (code === 2) {
			next.dim = true;
		} else if (code === 22) {
			next.bold = false;
			next.dim = false;
		} else if (code === 7) {
			next.inverse = true;
		} else if (code === 27) {
			next.inverse = false;
		} else if (code >= 30 && code <= 37) {
			next.foreground = palette[code - 30];
		} else if (code >= 90 && code <= 97) {
			next.foreground = palette[code - 90 + 8];
		} else if (code === 39) {
			next.foreground = undefined;
		} else if (code >= 40 && code <= 47) {
			next.background = palette[code - 40];
		} else if (code === 49) {
			next.background = undefined;
		} else if ((code === 38 || code === 48) && parameters[index + 1] === 5) {
			const colour = color256(parameters[index + 2] ?? 7);
			next[code === 38 ? 'foreground' : 'background'] = colour;
			index += 2;
		} else if ((code === 38 || code === 48) && parameters[index + 1] === 2) {
			const [red, green, blue] = parameters.slice(index + 2, index + 5).map(value => value.toString(16).padStart(2, '0'));
			next[code === 38 ? 'foreground' : 'background'] = `#${red}${green}${blue}`;
			index += 4;
		}
	}

	return next;
}

function color256(index: number): string {
	if (index < 16) {
		return palette[index]!;
	}

	if (index >= 232) {
		const level = (8 + (index - 232) * 10).toString(16).padStart(2, '0');
		return `#${level}${level}${level}`;
	}

	const cube = index - 16;
	const level = (value: number) => (value === 0 ? 0 : 55 + value * 40).toString(16).padStart(2, '0');
	return `#${level(Math.floor(cube / 36))}${level(Math.floor(cube / 6) % 6)}${level(cube % 6)}`;
}

/** One line of ANSI text → styled runs of characters. */
function parseLine(line: string): Cell[] {
	const cells: Cell[] = [];
	let style: Style = {bold: false, dim: false, inverse: false};
	for (const part of line.split(/(\u001B\[[\d;]*m)/)) {
		const sgr = /^\u001B\[([\d;]*)m$/.exec(part);
		if (sgr) {
			style = applySgr(style, sgr[1] === '' ? [0] : sgr[1]!.split(';').map(Number));
		} else if (part !== '') {
			cells.push({text: part, style});
		}
	}

	return cells;
}

function toSvg(capture: string): string {
	const width = 8.4;
	const height = 18;
	const padding = 12;
	const elements: string[] = [];
	capture.split('\n').slice(0, rows).forEach((line, row) => {
		let column = 0;
		for (const cell of parseLine(line)) {
			const characters = [...cell.text];
			let fill = cell.style.foreground ?? foreground;
			let back = cell.style.background;
			if (cell.style.inverse) {
				[fill, back] = [back ?? background, cell.style.foreground ?? foreground];
			}

			const x = padding + column * width;
			const y = padding + row * height;
			if (back) {
				elements.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${(characters.length * width).toFixed(1)}" height="${height}" fill="${back}"/>`);
			}

			if (cell.text.trim() !== '') {
				const weight = cell.style.bold ? ' font-weight="bold"' : '';
				const opacity = cell.style.dim ? ' fill-opacity="0.6"' : '';
				elements.push(`<text x="${x.toFixed(1)}" y="${y + 13}" fill="${fill}"${weight}${opacity} textLength="${(characters.length * width).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(cell.text)}</text>`);
			}

			column += characters.length;
		}
	});
	const svgWidth = padding * 2 + columns * width;
	const svgHeight = padding * 2 + rows * height;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}" viewBox="0 0 ${svgWidth} ${svgHeight}" font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" xml:space="preserve">`,
		`<rect width="100%" height="100%" rx="6" fill="${background}"/>`,
		...elements,
		'</svg>',
		'',
	].join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'fatc-picture-'));
const socket = `fatc-picture-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
try {
	copyFileSync(join(here, '../.fatcontrollerrc.example'), join(work, '.fatcontrollerrc'));
	tmux('new-session', '-d', '-s', 'fatc', '-x', String(columns), '-y', String(rows), '-c', work, '-e', 'LANG=C.UTF-8', '-e', 'TERM=xterm-256color', `${process.execPath} ${join(here, '../dist/cli.js')}; exec sleep 60`);
	await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	// A moment when send-emails has fanned out and its runs were measured, so the runs table has something to show.
	const measuredRuns = () => (tmux('capture-pane', '-p', '-t', 'fatc').match(/ running +\S+ +[\d.]+% +[\d.]+[KM] /g) ?? []).length;
	for (let tries = 0; tries < 200 && measuredRuns() < 2; tries++) {
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	tmux('send-keys', '-t', 'fatc', 'Tab'); // the runs table in focus, a run selected
	await new Promise(resolve => setTimeout(resolve, 250));
	const capture = tmux('capture-pane', '-p', '-e', '-t', 'fatc');
	writeFileSync(join(here, 'fatc-tui.svg'), toSvg(capture));
	writeFileSync(join(here, 'fatc-tui.txt'), capture.replaceAll(/\u001B\[[\d;]*m/g, ''));
	tmux('send-keys', '-t', 'fatc', 'q');
	await new Promise(resolve => setTimeout(resolve, 400));
	tmux('send-keys', '-t', 'fatc', 'y');
	await new Promise(resolve => setTimeout(resolve, 3000));
	console.log(`wrote ${join(here, 'fatc-tui.svg')} and fatc-tui.txt`);
} finally {
	try {
		tmux('kill-server');
	} catch {}

	rmSync(work, {recursive: true, force: true});
}
