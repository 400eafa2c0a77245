/** Longest piece of a line kept in memory: once this many bytes arrive without a newline, they are cut off as a line of their own. */
export const maximumPartialLineBytes = 64 * 1024;

const newline = 0x0a;
const newlineBuffer = Buffer.from('\n');

/**
 * Splits a byte stream into blocks of whole lines, each line ending with a newline.
 * A block may hold many lines (one write per chunk, not per line). Memory stays bounded: a partial line
 * reaching `maximumPartialLineBytes` is cut there and handed on with a newline added, so a line can be
 * split in pieces (even inside a multi-byte character) but no byte is ever dropped.
 */
export class LineSplitter {
	private partial: Buffer[] = [];
	private partialBytes = 0;

	constructor(private readonly onLines: (block: Buffer) => void) {}

	push(chunk: Buffer): void {
		let rest = chunk;
		const lastNewline = chunk.lastIndexOf(newline);
		if (lastNewline !== -1) {
			const complete = chunk.subarray(0, lastNewline + 1);
			this.onLines(this.partialBytes === 0 ? complete : Buffer.concat([...this.partial, complete]));
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
 */
export function lastLineOf(block: Buffer): string {
	const end = block.at(-1) === newline ? block.length - 1 : block.length;
	const start = block.lastIndexOf(newline, end - 1) + 1;
	const line = block.toString('utf8', start, end);
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}
