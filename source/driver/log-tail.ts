import {open} from 'node:fs/promises';

/** The last `lines` lines of a file, oldest first; [] when it does not exist. Reads at most `maxBytes` from the end. */
export async function readLogTail(file: string, lines: number, maxBytes = 256 * 1024): Promise<string[]> {
	if (lines <= 0) {
		return [];
	}

	let handle;
	try {
		handle = await open(file, 'r');
	} catch {
		return [];
	}

	try {
		const {size} = await handle.stat();
		const length = Math.min(size, maxBytes);
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		const text = buffer.toString('utf8');
		const all = text.split('\n');
		if (all.at(-1) === '') {
			all.pop();
		}

		// The first line may be cut by the byte window, unless the window covers the whole file.
		const whole = length === size ? all : all.slice(1);
		return whole.slice(-lines);
	} finally {
		await handle.close();
	}
}
