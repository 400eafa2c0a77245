import {useApp, useInput, useStdin} from 'ink';
import {useRef} from 'react';
import {performKeyCommand, type KeyBindingContext} from './key-commands.js';
import {commandFor} from './key-map.js';
import {resolveSelection} from './selection.js';
import {reduceUi} from './ui-state.js';

export type {KeyBindingContext} from './key-commands.js';

/** The one owner of keyboard input: a key becomes a command, and a command a handle call or a UI change. */
export function useKeyBindings(context: KeyBindingContext): void {
	const {isRawModeSupported} = useStdin();
	const {exit} = useApp();
	// Ink swaps the input handler in an effect, after the frame: a key pressed in between must see this render,
	// and the next key of the same chunk ("qy") must see what the previous one changed before React renders it.
	const latest = useRef(context);
	latest.current = {
		...context,
		dispatch(action) {
			const ui = reduceUi(latest.current.ui, action);
			latest.current = {...latest.current, ui, selection: resolveSelection(latest.current.snapshot, ui)};
			context.dispatch(action);
		},
	};
	useInput((input, key) => {
		// Keys typed faster than the terminal is read (or pasted) arrive as one string: each letter is a key.
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const press of presses) {
			const command = commandFor(press, key, latest.current.ui);
			if (command) {
				performKeyCommand(command, latest.current, exit);
			}
		}
	}, {isActive: isRawModeSupported === true});
}
