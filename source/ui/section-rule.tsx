import {Text} from 'ink';
import {paint, useDisplay} from './display.js';
import {fit} from './format-cells.js';

/** A titled horizontal rule that opens a pane: "── Jobs ───"; the focused pane's is heavy ("━━ Jobs ━━━", ASCII "=="), also without colour. */
export function SectionRule({title, width, focused = false}: {title: string; width: number; focused?: boolean}) {
	const display = useDisplay();
	const rule = focused ? display.glyphs.focusedRule : display.glyphs.rule;
	const lead = `${rule}${rule} `;
	const room = Math.max(0, width - lead.length - 1);
	const shown = title.length > room ? fit(title, room, 'left', display.glyphs.ellipsis) : title;
	const tail = rule.repeat(Math.max(0, room - shown.length));
	return (
		<Text wrap="truncate">
			<Text dimColor>{lead}</Text>
			<Text bold={focused} color={paint(display, focused ? 'cyan' : undefined)}>{title}</Text>
			<Text dimColor>{` ${tail}`}</Text>
		</Text>
	);
}
