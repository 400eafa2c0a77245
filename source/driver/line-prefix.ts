import type {SpawnRequest} from '../core/process-driver.js';

const newline = 0x0a;

/** The job's logFormat for lines read now: `2026-11-24T18:30:00.123Z [run 5 slot 0] `. */
export function linePrefix(format: NonNullable<SpawnRequest['logPrefix']>, now = Date.now()): Buffer {
	const time = format.time ? `${new Date(now).toISOString()} ` : '';
	const run = format.run === undefined ? '' : `[${format.run}] `;
	return Buffer.from(time + run);
}

/**
 * Puts `prefix` before each line of a block of whole lines (LineSplitter's), in one copy and without decoding it:
 * the bytes a run wrote reach the file unchanged after their prefix.
 */
export function prefixLines(block: Buffer, prefix: Buffer): Buffer {
	let lines = 0;
	for (let index = block.indexOf(newline); index !== -1; index = block.indexOf(newline, index + 1)) {
		lines++;
	}

	if (block.length > 0 && block.at(-1) !== newline) {
		lines++;
	}

	const prefixed = Buffer.allocUnsafe(block.length + (lines * prefix.length));
	let from = 0;
	let to = 0;
	while (from < block.length) {
		const end = block.indexOf(newline, from);
		const next = end === -1 ? block.length : end + 1;
		to += prefix.copy(prefixed, to);
		to += block.copy(prefixed, to, from, next);
		from = next;
	}

	return prefixed;
}
