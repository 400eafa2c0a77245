import {Text} from 'ink';
import type {Snapshot} from '../core/snapshot.js';
import {paint, useDisplay} from './display.js';
import {fit, formatBytes, formatDuration, formatPercent} from './format-cells.js';
import {runsUnderWay} from './selection.js';

/** fatc's name, pid, uptime and own CPU and memory, the totals, and a failed reload's error under it. */
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
			{snapshot.configError !== null && (
				<Text wrap="truncate" color={paint(display, 'red')} bold>{fit(`config error (running config kept): ${snapshot.configError}`, width, 'left', ellipsis)}</Text>
			)}
		</>
	);
}
