import {Box, Text} from 'ink';
import type {HistoryEntry} from '../core/run-history.js';
import {useDisplay} from './display.js';
import {cleanLine, fit, formatClock, formatDuration} from './format-cells.js';
import {Filler} from './filler.js';
import {SectionRule} from './section-rule.js';

export type HistoryPaneProps = {
	job: string | undefined;
	/** Newest first. */
	entries: readonly HistoryEntry[];
	/** Runs scrolled down from the newest. */
	scroll: number;
	height: number;
	width: number;
	focused: boolean;
};

/** "done (exit 0)", "error (signal SIGKILL, timeout)", "stopped (exit 143, scale)". */
function howItEnded(entry: HistoryEntry): string {
	const how = entry.spawnError ?? (entry.signal ? `signal ${entry.signal}` : `exit ${entry.code}`);
	return `${entry.result} (${how}${entry.stopReason ? `, ${entry.stopReason}` : ''})`;
}

/** One line per ended run: when it ended, its run and slot, pid, how long it ran, how it ended, its last line. */
export function historyLine(entry: HistoryEntry): string {
	const last = entry.lastLine === null ? '' : `  ${JSON.stringify(cleanLine(entry.lastLine))}`;
	return `${formatClock(entry.endedAt)}  run ${entry.runId}  slot ${entry.slot}  pid ${entry.pid ?? '-'}  ${formatDuration(entry.duration).padStart(6)}  ${howItEnded(entry)}${last}`;
}

/** The selected job's last ended runs, newest first, scrollable; only the lines that fit are rendered. */
export function HistoryPane(props: HistoryPaneProps) {
	const {glyphs} = useDisplay();
	const visible = props.entries.slice(props.scroll, props.scroll + props.height);
	const where = props.scroll > 0 ? ` (${props.scroll} back)` : '';
	return (
		<Box flexDirection="column">
			<SectionRule title={`History of ${props.job ?? '-'}${where}, newest first`} width={props.width} focused={props.focused}/>
			{visible.length === 0 && <Text dimColor>  no run has ended yet</Text>}
			{visible.map(entry => (
				<Text key={`${entry.runId}-${entry.endedAt}`} wrap="truncate" color={entry.result === 'error' ? 'red' : undefined}>{fit(historyLine(entry), props.width, 'left', glyphs.ellipsis)}</Text>
			))}
			<Filler lines={props.height - Math.max(1, visible.length)}/>
		</Box>
	);
}
