import {Text} from 'ink';
import {Fragment} from 'react';
import {paint, useDisplay, type Glyphs} from './display.js';
import {fit} from './format-cells.js';
import type {UiState} from './ui-state.js';

export type Hint = {keys: string; label: string; priority: number};

/**
 * The key hints, in display order; when the line is too short, the lowest priority go first. At 80 columns the
 * commands stay (R and D among them) and the moves give way: arrows need no hint, and ? lists every key.
 */
function hints(glyphs: Glyphs, width: number): Hint[] {
	return [
		{keys: width >= 100 ? `${glyphs.upDown} jk` : 'jk', label: 'move', priority: 3},
		{keys: 'Tab', label: 'pane', priority: 5},
		{keys: '+-', label: 'scale', priority: 9},
		{keys: 'r', label: 'restart', priority: 8},
		{keys: 'p', label: 'pause', priority: 8},
		{keys: 't', label: 'trigger', priority: 6},
		{keys: 'x', label: 'stop', priority: 6},
		{keys: 'l', label: 'log', priority: 4},
		{keys: 'h', label: 'history', priority: 4},
		{keys: 'R', label: 'reload', priority: 7},
		{keys: 'D', label: 'daemon', priority: 7},
		{keys: '?', label: 'help', priority: 10},
		{keys: 'q', label: 'quit', priority: 10},
	];
}

/** The hints that fit in `width` ("KEYS label " each), keeping their order. Default: the TUI's. */
export function fittingHints(glyphs: Glyphs, width: number, all: Hint[] = hints(glyphs, width)): Hint[] {
	const length = (list: Hint[]) => list.reduce((sum, hint) => sum + hint.keys.length + hint.label.length + 2, -1);
	const kept = new Set(all);
	for (const hint of [...all].sort((first, second) => first.priority - second.priority)) {
		if (length([...kept]) <= width) {
			break;
		}

		kept.delete(hint);
	}

	return all.filter(hint => kept.has(hint));
}

/** The last line: the quit question, else the status of the last key (for a few seconds: ui-state.ts), else the key hints. */
export function Footer({ui, runs, width}: {ui: UiState; runs: number; width: number}) {
	const display = useDisplay();
	if (ui.overlay === 'confirm-quit') {
		return <Question text={`Stop ${runs} ${runs === 1 ? 'run' : 'runs'} and quit? y = yes, n = no`} width={width}/>;
	}

	if (ui.status !== undefined) {
		return <Text wrap="truncate" color={paint(display, ui.quitting === 'no' ? undefined : 'yellow')}>{fit(ui.status, width, 'left', display.glyphs.ellipsis)}</Text>;
	}

	return <KeyHints hints={fittingHints(display.glyphs, width)}/>;
}

/** A y/n question in place of the footer. */
export function Question({text, width}: {text: string; width: number}) {
	const display = useDisplay();
	const question = ` ${text} `;
	return <Text wrap="truncate" inverse bold color={paint(display, 'yellow')}>{fit(question, Math.min(width, question.length))}</Text>;
}

/** Keys in inverse cyan, each with its label: hints already fitted to the line (fittingHints). */
export function KeyHints({hints}: {hints: Hint[]}) {
	const display = useDisplay();
	return (
		<Text wrap="truncate">
			{hints.map((hint, index) => (
				<Fragment key={hint.keys}>
					{index > 0 && ' '}
					<Text inverse bold color={paint(display, 'cyan')}>{hint.keys}</Text>
					{` ${hint.label}`}
				</Fragment>
			))}
		</Text>
	);
}
