import {Text} from 'ink';
import type {Snapshot} from '../core/snapshot.js';
import {paint, useDisplay} from './display.js';
import {cleanLine, fit, formatBytes, formatDuration, formatPercent} from './format-cells.js';
import {runsUnderWay} from './selection.js';

/** Lines a failed reload's error may take under the header; past them it is cut with an ellipsis. */
const errorLinesAtMost = 3;

/**
 * A failed reload's error as the header shows it: wrapped at spaces into lines of `width` (a word longer than a line,
 * a path, is broken), at most three, so that a narrow terminal still shows the reason after the file and key path.
 */
export function configErrorLines(configError: string | null, width: number, ellipsis = '…'): string[] {
	if (configError === null) {
		return [];
	}

	const lines: string[] = [];
	let rest = cleanLine(`config error (running config kept): ${configError}`).trim();
	const lineWidth = Math.max(10, width);
	while (rest !== '' && lines.length < errorLinesAtMost) {
		if (rest.length <= lineWidth) {
			lines.push(rest);
			rest = '';
			break;
		}

		const space = rest.lastIndexOf(' ', lineWidth);
		const end = space > lineWidth / 3 ? space : lineWidth;
		lines.push(rest.slice(0, end));
		rest = rest.slice(end).trimStart();
	}

	if (rest !== '') {
		lines[lines.length - 1] = fit(`${lines.at(-1)!} ${rest}`, lineWidth, 'left', ellipsis);
	}

	return lines;
}

/** fatc's name, pid, uptime and own CPU and memory, the totals, and a failed reload's error under it (configErrorLines). */
export function Header({snapshot, width}: {snapshot: Snapshot; width: number}) {
	const display = useDisplay();
	const {separator, ellipsis} = display.glyphs;
	const runs = runsUnderWay(snapshot);
	const parts = [
		`pid ${snapshot.pid}`,
		`up ${formatDuration(snapshot.takenAt - snapshot.startedAt)}`,
		`cpu ${formatPercent(snapshot.usage?.cpuPercent)}`,
		`mem ${formatBytes(snapshot.usage?.memoryBytes)}`,
		`${snapshot.jobs.length} ${snapshot.jobs.length === 1 ? 'job' : 'jobs'}`,
		`${runs} ${runs === 1 ? 'run' : 'runs'}`,
	];
	return (
		<>
			<Text wrap="truncate">
				<Text bold color={paint(display, 'cyan')}>{snapshot.name}</Text>
				{fit(separator + parts.join(separator), Math.max(0, width - snapshot.name.length), 'left', ellipsis)}
			</Text>
			{configErrorLines(snapshot.configError, width, ellipsis).map((line, index) => (
				<Text key={index} wrap="truncate" color={paint(display, 'red')} bold>{line}</Text>
			))}
		</>
	);
}
