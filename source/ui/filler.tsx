import {Box} from 'ink';

/** Empty lines that keep the footer on the terminal's last line while a pane has little to show. */
export function Filler({lines}: {lines: number}) {
	return lines > 0 ? <Box height={lines}/> : null;
}
