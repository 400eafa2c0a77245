import {execFile} from 'node:child_process';
import {realpath} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';
import type {createJiti} from 'jiti';
import yaml from 'js-yaml';
import {ConfigError} from './errors.js';

/*
 * Loaders for cosmiconfig that fail with a ConfigError naming the file and, when known, the line.
 */

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): {line: number; column: number} {
	const before = text.slice(0, offset).split('\n');
	return {line: before.length, column: (before.at(-1)?.length ?? 0) + 1};
}

/** YAML (also the loader for `.fatcontrollerrc` without extension: JSON is YAML too). */
export function loadYaml(file: string, content: string): unknown {
	try {
		// A file of only comments is empty (cosmiconfig reads null as "keep looking").
		return yaml.load(content, {filename: file}) ?? undefined;
	} catch (error) {
		if (error instanceof yaml.YAMLException) {
			const where = error.mark ? {line: error.mark.line + 1, column: error.mark.column + 1} : {};
			throw new ConfigError(file, [{path: '', message: `not valid YAML: ${error.reason}`, ...where}], {cause: error});
		}

		throw error;
	}
}

/** Strict JSON. */
export function loadJson(file: string, content: string): unknown {
	try {
		return JSON.parse(content) as unknown ?? undefined;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const position = /at position (\d+)/.exec(message)?.[1];
		const where = position === undefined ? {} : lineAndColumn(content, Number(position));
		const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
		throw new ConfigError(file, [{path: '', message: `not valid JSON: ${reason}`, ...where}], {cause: error});
	}
}

let jiti: ReturnType<typeof createJiti> | undefined;
let loadCount = 0;
const require = createRequire(import.meta.url);

/** A fresh copy of a JavaScript module: a new URL for the ESM cache, and out of the CommonJS cache. */
async function importFresh(file: string): Promise<unknown> {
	const realFile = await realpath(file);
	delete require.cache[realFile];
	loadCount++;
	const module = await import(`${pathToFileURL(realFile).href}?fatc-load=${loadCount}`) as {default?: unknown};
	return module.default;
}

/**
 * TypeScript through jiti (no TypeScript needed at run time); its caches off, so an edit is seen. Loaded for a .ts
 * config only: it takes ~75 ms, which every `fatc status` would pay.
 */
async function importTypeScript(file: string): Promise<unknown> {
	jiti ??= (await import('jiti')).createJiti(import.meta.url, {moduleCache: false, fsCache: false});
	return jiti.import(file, {default: true});
}

/**
 * `.js`, `.cjs`, `.mjs`, `.ts`: the default export (or `module.exports`). A second load of an edited
 * file sees the edit (a live reload re-reads the same path); a plain `import()` would not.
 */
export async function loadModule(file: string): Promise<unknown> {
	let exported: unknown;
	try {
		exported = await (/\.[cm]?ts$/.test(file) ? importTypeScript(file) : importFresh(file));
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0]!.trim() : String(error);
		const where = await errorLocation(file, error);
		throw new ConfigError(file, [{path: '', message: `could not load: ${message}`, ...where}], {cause: error});
	}

	if (exported === undefined) {
		throw new ConfigError(file, [{path: '', message: 'expected a default export (export default {jobs: {…}}), got none'}]);
	}

	return exported;
}

/** `/path/file.js:3` or `/path/file.ts:3:24` on a line of its own, as Node (CommonJS), `node --check` and jiti say where. */
const locationLine = /^\s*(?:file:\/\/)?(\/.*?):(\d+)(?::(\d+))?\s*$/m;

/**
 * Where a module that failed to load is wrong, when it says: CommonJS and jiti (TypeScript) put it in the error; an ES
 * module's SyntaxError does not (Node 20), so `node --check` is asked, which only parses the file — as an ES module when
 * no package.json says so (a `.js` file Node tells apart only by running it).
 */
async function errorLocation(file: string, error: unknown): Promise<{line?: number; column?: number}> {
	const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : '';
	const said = parseLocation(text);
	if (said.line !== undefined || !(error instanceof SyntaxError)) {
		return said;
	}

	for (const flags of [[], ['--experimental-default-type=module']]) {
		const check = parseLocation(await nodeCheck(file, flags));
		if (check.line !== undefined) {
			return check;
		}
	}

	return {};
}

/** What `node --check` says about the file on stderr (nothing when it parses). */
async function nodeCheck(file: string, flags: string[]): Promise<string> {
	return new Promise<string>(resolve => {
		execFile(process.execPath, [...flags, '--check', file], {timeout: 10_000}, (_error, _stdout, stderr) => {
			resolve(stderr);
		});
	});
}

/** The line (and column: from a caret under the source line, when shown) after a location line. */
function parseLocation(text: string): {line?: number; column?: number} {
	const match = locationLine.exec(text);
	if (match === null) {
		return {};
	}

	if (match[3] !== undefined) {
		// jiti's column counts from 0.
		return {line: Number(match[2]), column: Number(match[3]) + 1};
	}

	const [, caret] = text.slice(match.index + match[0].length).replace(/^\n/, '').split('\n');
	const column = caret === undefined ? -1 : caret.indexOf('^');
	return column >= 0 && /^\s*\^+\s*$/.test(caret!) ? {line: Number(match[2]), column: column + 1} : {line: Number(match[2])};
}
