import {Box, Text} from 'ink';
import {useDisplay} from './display.js';
import {fit} from './format-cells.js';
import {Filler} from './filler.js';
import {SectionRule} from './section-rule.js';

/** Every key and what the terse columns mean; any key closes it. */
export function helpLines(upDown: string): Array<[string, string]> {
	return [
		[`${upDown}  j k`, 'select a job, or a run (PgUp PgDn g G: page, first, last)'],
		['Tab', 'switch table: jobs, runs, and the log when shown'],
		['+ -', "scale the job's instances up or down (= also scales up)"],
		['r', 'restart the job; in the runs table, restart the selected run'],
		['p', 'pause the job (stops its runs) or resume it'],
		['t', 'trigger one run now, even during a sleep or a pause'],
		['x', 'stop the selected run (in the runs table)'],
		['l', "show the job's log instead of the events (Tab to it, then scroll)"],
		['h', "show the job's last runs, newest first (when, how long, how it ended, its last line)"],
		['R', 'reload the config file'],
		['D', 'hand the runs off to a headless daemon'],
		['q Ctrl+C', 'quit: stops every run (asks first while runs are under way)'],
		['R/A/I', 'runs under way / allowed now (dependent fan-out) / instances'],
		['NEXT', 'next start in: a sleep, a fixed interval, or a hold after an error (!)'],
		['EXIT', 'how the last run ended: done, more, err or stop, and code or signal'],
		['CPU MEM', "the run's whole process group, sampled every 2 s"],
	];
}

/** `lines`: the keys of another view (the fleet's); default the TUI's. */
export function HelpOverlay({width, height, lines: all}: {width: number; height: number; lines?: Array<[string, string]>}) {
	const {glyphs} = useDisplay();
	const lines = (all ?? helpLines(glyphs.upDown)).slice(0, Math.max(1, height - 2));
	return (
		<Box flexDirection="column">
			<SectionRule title="Help: keys and columns" width={width} focused/>
			{lines.map(([keys, meaning]) => (
				<Text key={keys} wrap="truncate">
					<Text bold>{fit(keys, 9)}</Text>
					{fit(` ${meaning}`, Math.max(0, width - 9), 'left', glyphs.ellipsis)}
				</Text>
			))}
			<Text dimColor>{fit('any key closes this help', width)}</Text>
			<Filler lines={height - lines.length - 2}/>
		</Box>
	);
}
