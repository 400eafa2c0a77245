import type {FileHandle} from 'node:fs/promises';

/**
 * Appends `buffers` to a file opened for appending, whole or not at all: writev may write less than asked (a disk
 * nearly full), so the rest is written until done; when a write fails part way, the part written is cut off again,
 * so a line is never left broken at the end of the file for the next one to run on from.
 */
export async function appendWhole(handle: FileHandle, buffers: Buffer[], bytes: number): Promise<void> {
	let remaining = buffers;
	let written = 0;
	try {
		while (written < bytes) {
			const {bytesWritten} = await handle.writev(remaining);
			if (bytesWritten === 0) {
				throw new Error('The file accepted no more bytes');
			}

			written += bytesWritten;
			if (written < bytes) {
				remaining = [Buffer.concat(remaining).subarray(bytesWritten)];
			}
		}
	} catch (error) {
		if (written > 0) {
			await cutOff(handle, written);
		}

		throw error;
	}
}

async function cutOff(handle: FileHandle, bytes: number): Promise<void> {
	try {
		const {size} = await handle.stat();
		await handle.truncate(Math.max(0, size - bytes));
	} catch {
		// The write's own error is the one to report; a half line may stay.
	}
}

/** How many lines a block of whole lines holds. */
export function countLines(block: Buffer): number {
	let count = 0;
	for (let index = block.indexOf(0x0a); index !== -1; index = block.indexOf(0x0a, index + 1)) {
		count++;
	}

	return count;
}
