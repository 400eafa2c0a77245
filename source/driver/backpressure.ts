/** Something that feeds a writer and can be held back: a child's stdout or stderr. */
export type LogSource = {pause(): unknown; resume(): unknown};

/** Pauses every source while more than `highWaterMark` bytes wait, resumes them below half of it. */
export class Backpressure {
	private readonly sources = new Set<LogSource>();
	private saturated = false;

	constructor(private readonly highWaterMark: number) {}

	/** Registers a source; returns its removal. */
	add(source: LogSource): () => void {
		this.sources.add(source);
		if (this.saturated) {
			source.pause();
		}

		return () => {
			this.sources.delete(source);
		};
	}

	/** Tells how many bytes wait to be written now. */
	update(pendingBytes: number): void {
		if (!this.saturated && pendingBytes > this.highWaterMark) {
			this.saturated = true;
			for (const source of this.sources) {
				source.pause();
			}
		} else if (this.saturated && pendingBytes <= this.highWaterMark / 2) {
			this.saturated = false;
			for (const source of this.sources) {
				source.resume();
			}
		}
	}
}
