import {existsSync} from 'node:fs';
import path from 'node:path';
import {benchFolder} from '../lib/paths.js';
import {run} from '../lib/processes.js';
import type {Row} from '../lib/report.js';
import type {WorkloadContext} from '../lib/workload.js';

/** Written by whoever builds the TUI: renders a 1,000-run frame and churns 50 runs into a fake terminal. */
const script = path.join(benchFolder, 'tui-render.ts');

type FrameFigure = {label: string; medianMilliseconds: number};
type ChurnFigure = {label: string; bytesPerSecond: number};
type TuiFigures = {frames: FrameFigure[]; churns: ChurnFigure[]};

/**
 * Reads the figures out of tui-render.ts's output. Nothing was agreed on, so it looks for words, not a format:
 * "LABEL: first frame … a new snapshot 12.3 ms (p95 ms)" per frame kind, and "N KiB/s (or bytes/s) to the terminal".
 */
export function parseTuiOutput(output: string): TuiFigures {
	const figures: TuiFigures = {frames: [], churns: []};
	const number = (text: string) => Number(text.replaceAll(',', '').replaceAll('_', ''));
	for (const line of output.split('\n')) {
		const trimmed = line.trim();
		const snapshot = /^(.*?):.*new snapshot\D*?([\d.]+)\s*ms/i.exec(trimmed) ?? /^(.*?):.*render\D*?([\d.]+)\s*ms/i.exec(trimmed);
		if (snapshot) {
			figures.frames.push({label: snapshot[1]!, medianMilliseconds: number(snapshot[2]!)});
			continue;
		}

		const kibibytes = /([\d.,]+)\s*KiB\/s/i.exec(trimmed);
		const bytes = /([\d.,]+)\s*(?:bytes|B)\/s/.exec(trimmed);
		if (kibibytes ?? bytes) {
			// "50 runs churning, real (45 run starts/s) for 10 s …": the words before the figures name the case.
			const label = /^([^(:]*?)\s*(?:\(|for\s|:)/.exec(trimmed)?.[1]?.trim() ?? 'runs churning';
			figures.churns.push({label, bytesPerSecond: kibibytes ? number(kibibytes[1]!) * 1024 : number(bytes![1]!)});
		}
	}

	return figures;
}

/** 6. TUI: frame render time with 1,000 runs; bytes per second to the terminal with 50 runs churning. */
export async function terminalInterface(context: WorkloadContext): Promise<Row[]> {
	let frames: Array<{label: string; medianMilliseconds: number}> = [];
	let why = 'bench/tui-render.ts is not there yet';
	let churns: Array<{label: string; bytesPerSecond: number}> = [];
	if (context.mode === 'smoke') {
		why = 'not run in the smoke benchmark (tui-render.ts takes ~30 s)';
	} else if (existsSync(script)) {
		try {
			// Its one argument: seconds of churn. React's production build, as fatc's TUI loads it
			// (cli/production-react.ts): the development one's frames are slower and its memory grows.
			const output = await run(process.execPath, ['--import', 'tsx', script, String(Math.max(2, context.seconds))], {
				timeout: 300_000,
				env: {NODE_ENV: 'production'},
			});
			const figures = parseTuiOutput(output);
			context.notes.push(`TUI: from bench/tui-render.ts, which printed: ${output.trim().split('\n').slice(-6).join(' / ')}`);
			frames = figures.frames;
			why = 'bench/tui-render.ts printed no frame time';
			churns = figures.churns;
		} catch (error) {
			const message = `bench/tui-render.ts failed: ${(error as Error).message.split('\n')[0]}`;
			why = message;
		}
	}

	const frameRows: Row[] = frames.length === 0
		? [{workload: '6. TUI', figure: 'frame with 1,000 runs (ms)', fatc: {missing: why}, peers: {}, ratios: false}]
		: frames.map(frame => ({
			workload: '6. TUI',
			figure: `frame after a new snapshot, median (ms): ${frame.label}`,
			fatc: frame.medianMilliseconds,
			peers: {},
			ratios: false,
			// Our reading of SPEC §5 (redraws capped at ~10/s): a frame must fit in 100 ms to keep up.
			target: '< 100 ms',
			met: frame.medianMilliseconds < 100,
		}));
	const churnRows: Row[] = churns.length === 0
		? [{workload: '6. TUI', figure: 'bytes/s to the terminal, 50 runs churning', fatc: {missing: why}, peers: {}, ratios: false}]
		: churns.map(churn => ({workload: '6. TUI', figure: `bytes/s to the terminal: ${churn.label}`, fatc: churn.bytesPerSecond, peers: {}, ratios: false}));
	return [...frameRows, ...churnRows];
}
