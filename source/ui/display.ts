import {createContext, useContext} from 'react';

/** What the terminal can show: box-drawing characters and colour. */
export type Capabilities = {unicode: boolean; color: boolean};

/** The characters the UI draws with, Unicode or plain ASCII. */
export type Glyphs = {rule: string; focusedRule: string; selected: string; ellipsis: string; separator: string; upDown: string};

export type Display = {glyphs: Glyphs; color: boolean; unicode: boolean};

const unicodeGlyphs: Glyphs = {rule: '─', focusedRule: '━', selected: '›', ellipsis: '…', separator: ' · ', upDown: '↑↓'};
const asciiGlyphs: Glyphs = {rule: '-', focusedRule: '=', selected: '>', ellipsis: '~', separator: ' | ', upDown: 'up/down'};

/** Terminals that cannot draw box characters even with a UTF-8 locale (the Linux console's default font among them). */
const asciiTerminals = new Set(['dumb', 'linux', 'vt52', 'vt100', 'vt102', 'vt220', 'ansi', 'cons25']);

/**
 * Box characters only when the locale is UTF-8 and TERM can draw them; colour unless NO_COLOR (no-color.org) is set
 * or TERM is dumb. FATC_ASCII=1 forces ASCII, for a terminal that claims more than it can.
 */
export function detectCapabilities(environment: NodeJS.ProcessEnv = process.env): Capabilities {
	const locale = environment.LC_ALL || environment.LC_CTYPE || environment.LANG || '';
	const term = environment.TERM ?? '';
	const unicode = /utf-?8/i.test(locale) && !asciiTerminals.has(term) && !environment.FATC_ASCII;
	const color = !environment.NO_COLOR && term !== 'dumb';
	return {unicode, color};
}

export function displayFor(capabilities: Capabilities): Display {
	return {glyphs: capabilities.unicode ? unicodeGlyphs : asciiGlyphs, color: capabilities.color, unicode: capabilities.unicode};
}

export const DisplayContext = createContext<Display>(displayFor({unicode: true, color: true}));

export function useDisplay(): Display {
	return useContext(DisplayContext);
}

/** A colour only when colour is on: components pass the result straight to <Text color>. */
export function paint(display: Display, color: string | undefined): string | undefined {
	return display.color ? color : undefined;
}
