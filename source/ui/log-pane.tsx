import {Box, Text} from 'ink';
import {useDisplay} from './display.js';
import {fit} from './format-cells.js';
import {Filler} from './filler.js';
import {SectionRule} from './section-rule.js';

export type LogPaneProps = {
	job: string | undefined;
	logFile: string | undefined;
	lines: readonly string[];
	/** Lines scrolled back from the end; 0 follows the tail. */
	scroll: number;
	height: number;
	width: number;
	focused: boolean;
};

/** The selected job's log file, its tail or scrolled back; only the lines that fit are rendered. */
export function LogPane(props: LogPaneProps) {
	const {glyphs} = useDisplay();
	const end = Math.max(0, props.lines.length - props.scroll);
	const visible = props.lines.slice(Math.max(0, end - props.height), end);
	const where = props.scroll > 0 ? ` (${props.scroll} lines back)` : '';
	return (
		<Box flexDirection="column">
			<SectionRule title={`Log of ${props.job ?? '-'}${where}${props.logFile ? ` ${props.logFile}` : ''}`} width={props.width} focused={props.focused}/>
			{visible.length === 0 && <Text dimColor>  the log is empty</Text>}
			{visible.map((line, index) => (
				<Text key={index} wrap="truncate">{fit(line, props.width, 'left', glyphs.ellipsis)}</Text>
			))}
			<Filler lines={props.height - Math.max(1, visible.length)}/>
		</Box>
	);
}
