/** One character cell of a frame line: the character and the SGR parameters in force ('' when none). */
export type Cell = {char: string; style: string};

// The SGR attributes the UI draws with, each in its own slot: a later code replaces what its slot held.
type Slot = 'bold' | 'dim' | 'italic' | 'underline' | 'blink' | 'inverse' | 'hidden' | 'strike' | 'foreground' | 'background';
const slots: Slot[] = ['bold', 'dim', 'italic', 'underline', 'blink', 'inverse', 'hidden', 'strike', 'foreground', 'background'];
const setters: Record<number, Slot> = {1: 'bold', 2: 'dim', 3: 'italic', 4: 'underline', 5: 'blink', 7: 'inverse', 8: 'hidden', 9: 'strike'};
const clearers: Record<number, Slot[]> = {22: ['bold', 'dim'], 23: ['italic'], 24: ['underline'], 25: ['blink'], 27: ['inverse'], 28: ['hidden'], 29: ['strike']};

// Characters one cell wide on every terminal: printable ASCII and Latin-1, and the punctuation, arrows, box and block
// characters the UI draws with (display.ts glyphs, sparklines). Anything else — wide, combining, emoji — leaves the
// line to be rewritten whole, as a terminal may count its width differently.
const narrow = /^[\u0020-\u007E\u00A0-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u25FC]$/;

/**
 * A frame line (text with SGR escapes, as Ink writes it) as cells, or undefined when it holds anything else: another
 * escape, a control character, or a character that might not be one cell wide.
 */
export function parseCells(line: string): Cell[] | undefined {
	const cells: Cell[] = [];
	const state: Partial<Record<Slot, string>> = {};
	let style = '';
	let index = 0;
	while (index < line.length) {
		const char = line[index]!;
		if (char === '\u001B') {
			const match = /^\u001B\[([\d;]*)m/.exec(line.slice(index, index + 64));
			if (!match || !applySgr(state, match[1]!)) {
				return undefined;
			}

			style = slots.filter(slot => state[slot] !== undefined).map(slot => state[slot]).join(';');
			index += match[0].length;
			continue;
		}

		if (!narrow.test(char)) {
			return undefined;
		}

		cells.push({char, style});
		index++;
	}

	return cells;
}

/** Applies SGR parameters to the state; false for one it does not know (the line is then rewritten whole). */
function applySgr(state: Partial<Record<Slot, string>>, parameters: string): boolean {
	const codes = parameters === '' ? [0] : parameters.split(';').map(Number);
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index]!;
		if (code === 0) {
			for (const slot of slots) {
				delete state[slot];
			}
		} else if (setters[code]) {
			state[setters[code]] = String(code);
		} else if (clearers[code]) {
			for (const slot of clearers[code]) {
				delete state[slot];
			}
		} else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
			state.foreground = String(code);
		} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
			state.background = String(code);
		} else if (code === 39) {
			delete state.foreground;
		} else if (code === 49) {
			delete state.background;
		} else if (code === 38 || code === 48) {
			// 38;5;N or 38;2;R;G;B: the colour's parameters belong to it.
			const length = codes[index + 1] === 5 ? 2 : (codes[index + 1] === 2 ? 4 : 0);
			if (length === 0 || index + length >= codes.length) {
				return false;
			}

			state[code === 38 ? 'foreground' : 'background'] = codes.slice(index, index + length + 1).join(';');
			index += length;
		} else {
			return false;
		}
	}

	return true;
}
