/** The variable that sets how many bytes of fatc's own lines may wait for a reader of its stdout that does not read. */
export const unreadLimitVariable = 'FATC_UNREAD_OUTPUT_LIMIT';

/** By default 16 MiB: the most a slow control client may leave unread too (daemon/send-line.ts). */
const defaultUnreadLimit = 16 * 1024 * 1024;

type Stream = {write(text: string): unknown; readonly writableLength: number};

/** The limit `FATC_UNREAD_OUTPUT_LIMIT` sets (bytes, at least 64 KiB), or the default. */
export function unreadOutputLimit(environment: NodeJS.ProcessEnv = process.env): number {
	const value = Number(environment[unreadLimitVariable]);
	return Number.isFinite(value) && value > 0 ? Math.max(64 * 1024, Math.floor(value)) : defaultUnreadLimit;
}

/**
 * Writes to `stream` while less than `limit` bytes wait for its reader; beyond, the text is dropped and its lines
 * counted, and before the next write that fits, `onDropped(lines)` is called once to say so. Node keeps what a pipe
 * does not take in memory, without bound: `fatc run | less` left on a screen nobody scrolls would grow fatc for ever.
 */
export function boundedOutput(stream: Stream, onDropped: (lines: number) => void, limit: number): {write(text: string): boolean} {
	let dropped = 0;
	return {
		write(text) {
			if (stream.writableLength > limit) {
				dropped += countLines(text);
				return true;
			}

			if (dropped > 0) {
				const lines = dropped;
				dropped = 0;
				onDropped(lines);
			}

			stream.write(text);
			return true;
		},
	};
}

function countLines(text: string): number {
	let lines = 0;
	for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
		lines++;
	}

	return lines;
}
