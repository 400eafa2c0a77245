/** Longest piece of a line kept in memory: once this many bytes arrive without a newline, they are cut off as a line of their own. */
export const maximumPartialLineBytes = 64 * 1024;

const newline = 0x0a;
const newlineBuffer = Buffer.from('\n');

/**
 * Splits a byte stream into blocks of whole lines, each line ending with a newline.
 * A block may hold many lines (one write per chunk, not per line). Memory stays bounded: a partial line
 * reaching `maximumPartialLineBytes` is cut there and handed on with a newline added, so a line can be
 * split in pieces (even inside a multi-byte character) but no byte is ever dropped.
 * A block comes in up to two pieces: `start`, the beginning of its first line kept from earlier chunks (a few bytes),
 * then `lines`, the rest of the chunk up to its last newline, not copied: joining them would copy every chunk again,
 * since a pipe's chunks nearly always end inside a line.
 */
export class LineSplitter {
	private partial: Buffer[] = [];
	private partialBytes = 0;

	constructor(private readonly onLines: (lines: Buffer, start?: Buffer) => void) {}

	push(chunk: Buffer): void {
		let rest = chunk;
		const lastNewline = chunk.lastIndexOf(newline);
		if (lastNewline !== -1) {
			const complete = chunk.subarray(0, lastNewline + 1);
			const start = this.partialBytes === 0 ? undefined : (this.partial.length === 1 ? this.partial[0] : Buffer.concat(this.partial));
			this.onLines(complete, start);
			this.partial = [];
			this.partialBytes = 0;
			rest = chunk.subarray(lastNewline + 1);
		}

		if (rest.length === 0) {
			return;
		}

		// Copy: a subarray would keep the whole chunk alive.
		this.partial.push(Buffer.from(rest));
		this.partialBytes += rest.length;
		while (this.partialBytes >= maximumPartialLineBytes) {
			const joined = Buffer.concat(this.partial);
			this.onLines(Buffer.concat([joined.subarray(0, maximumPartialLineBytes), newlineBuffer]));
			const remainder = joined.subarray(maximumPartialLineBytes);
			this.partial = remainder.length > 0 ? [remainder] : [];
			this.partialBytes = remainder.length;
		}
	}

	/** Hands on a last line that had no newline, adding one. */
	finish(): void {
		if (this.partialBytes > 0) {
			this.partial.push(newlineBuffer);
			const block = Buffer.concat(this.partial);
			this.partial = [];
			this.partialBytes = 0;
			this.onLines(block);
		}
	}
}

/**
 * The last line of a block from LineSplitter, without its newline (and without a trailing carriage return). Only those
 * bytes are decoded: a block may hold 64 KiB of lines, and the run's last line is all fatc keeps of them in memory.
 * With `first`, the block's first line began with those bytes (LineSplitter's `start`).
 */
export function lastLineOf(block: Buffer, first?: Buffer): string {
	if (first !== undefined && block.indexOf(newline) >= block.length - 1) {
		// The block's only line is its first: it began in `first`.
		return lastLineOf(Buffer.concat([first, block]));
	}

	const end = block.at(-1) === newline ? block.length - 1 : block.length;
	const start = block.lastIndexOf(newline, end - 1) + 1;
	const line = block.toString('utf8', start, end);
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}
