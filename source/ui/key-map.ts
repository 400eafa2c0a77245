import type {Key} from 'ink';
import type {UiState} from './ui-state.js';

/** What a key asks for. Letters only, never F-keys: SSH clients and tmux swallow those. */
export type Command =
	| 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last'
	| 'cycle-focus' | 'scale-up' | 'scale-down' | 'restart' | 'pause' | 'trigger' | 'stop-run'
	| 'toggle-log' | 'toggle-history' | 'reload' | 'hand-off' | 'help' | 'quit' | 'confirm' | 'cancel' | 'force-quit';

const letters: Readonly<Record<string, Command>> = {
	k: 'up',
	j: 'down',
	g: 'first',
	G: 'last',
	'+': 'scale-up',
	'=': 'scale-up', // "+" without Shift on most layouts
	'-': 'scale-down',
	r: 'restart',
	p: 'pause',
	t: 'trigger',
	x: 'stop-run',
	l: 'toggle-log',
	h: 'toggle-history',
	R: 'reload',
	D: 'hand-off',
	'?': 'help',
	q: 'quit',
};

/** The command of one key press in the current mode, or undefined when the key means nothing there. */
export function commandFor(input: string, key: Key, ui: Pick<UiState, 'overlay' | 'quitting'>): Command | undefined {
	const interrupt = key.ctrl && input === 'c';
	if (ui.quitting !== 'no') {
		// A second quit while the runs stop kills them at once, like a second SIGINT.
		return interrupt || input === 'q' ? 'force-quit' : undefined;
	}

	if (ui.overlay === 'confirm-quit') {
		if (input === 'y' || input === 'Y' || key.return || interrupt) {
			return 'confirm';
		}

		return input === 'n' || input === 'N' || key.escape ? 'cancel' : undefined;
	}

	if (ui.overlay === 'help') {
		return 'cancel';
	}

	if (interrupt) {
		return 'quit';
	}

	return arrowCommand(key) ?? (key.ctrl || key.meta ? undefined : letters[input]);
}

function arrowCommand(key: Key): Command | undefined {
	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.pageUp) {
		return 'page-up';
	}

	if (key.pageDown) {
		return 'page-down';
	}

	if (key.home) {
		return 'first';
	}

	if (key.end) {
		return 'last';
	}

	if (key.tab) {
		return 'cycle-focus';
	}

	return key.escape ? 'cancel' : undefined;
}
