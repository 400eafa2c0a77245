import {mkdir, open, type FileHandle} from 'node:fs/promises';
import {dirname} from 'node:path';
import {Backpressure, type LogSource} from './backpressure.js';
import {appendWhole, countLines} from './write-whole.js';

/** What a log writer dropped while its file could not be written. */
export type DroppedOutput = {lines: number; bytes: number};

export type LogWriterOptions = {
	/**
	 * Called when the file cannot be opened or written (once, until it can be again: a full disk is not reported per
	 * line), and when the file was found deleted and a new one opened. Lines that cannot be written are dropped.
	 */
	onError?: (error: Error) => void;
	/** Called when the file is written again after a failure, with what was dropped meanwhile. */
	onResumed?: (dropped: DroppedOutput) => void;
	/** Buffered bytes above which the sources are paused. Default 1 MiB. */
	highWaterMark?: number;
	/**
	 * After a failure, lines are dropped without retrying to open the file for this long; also how often an open file
	 * is checked for having been deleted (its directory removed), to open a new one at the path. Default 1000 ms.
	 */
	retryDelay?: number;
	/**
	 * A failure like the last one reported (same action and error code) within this long after that report is not
	 * reported again: a disk that stays nearly full lets one small write through now and then, and each would
	 * otherwise make a new error line. Its lines are still dropped and counted. Default 60,000 ms.
	 */
	repeatWindow?: number;
};

/**
 * Appends whole-line blocks to one file, in order. One writer per path is shared by every run that logs
 * there, and it only ever writes what it was handed whole, so lines of parallel runs never interleave.
 * It never throws: a failed open or write is reported and those lines are dropped, so a child is never
 * blocked for ever by an unwritable file (a read-only or full disk); writing resumes by itself once it can.
 */
export class LogWriter {
	private handle: FileHandle | undefined;
	private queue: Buffer[] = [];
	private pendingBytes = 0;
	private enqueuedCount = 0;
	private settledCount = 0;
	private flushWaiters: Array<{count: number; resolve: () => void}> = [];
	private closeWaiters: Array<() => void> = [];
	private readonly backpressure: Backpressure;
	private pumping = false;
	private reopenRequested = false;
	private closeRequested = false;
	private failedAt: number | undefined;
	/** Set from the first failure until a write succeeds again. */
	private dropped: DroppedOutput | undefined;
	private checkedAt = 0;
	private readonly retryDelay: number;
	private lastReport: {cause: string; at: number} | undefined;

	constructor(
		readonly path: string,
		private readonly options: LogWriterOptions = {},
	) {
		this.backpressure = new Backpressure(options.highWaterMark ?? 1024 * 1024);
		this.retryDelay = options.retryDelay ?? 1000;
	}

	/** Queues a block of whole lines (each ending with a newline). */
	write(block: Buffer): void {
		this.enqueuedCount++;
		// Dropped at once only when nothing is ahead of it, so blocks settle in order.
		if (this.pendingBytes === 0 && this.handle === undefined && this.isWaitingToRetry()) {
			this.drop([block]);
			this.settle(1);
			return;
		}

		this.queue.push(block);
		this.pendingBytes += block.length;
		this.backpressure.update(this.pendingBytes);
		this.kick();
	}

	/** Registers a source to pause while too much is buffered; returns its removal. */
	addSource(source: LogSource): () => void {
		return this.backpressure.add(source);
	}

	/** Resolves once everything queued so far was written (or dropped after an error). */
	async flushed(): Promise<void> {
		if (this.settledCount >= this.enqueuedCount) {
			return;
		}

		return new Promise(resolve => {
			this.flushWaiters.push({count: this.enqueuedCount, resolve});
		});
	}

	/** Closes the file and opens the path again (after logrotate renamed it); retries a failed file at once. */
	reopen(): void {
		this.reopenRequested = true;
		this.failedAt = undefined;
		this.kick();
	}

	/** Writes what is queued so far, then closes the file. A later write opens it again. */
	async close(): Promise<void> {
		await this.flushed();
		this.closeRequested = true;
		const closed = new Promise<void>(resolve => {
			this.closeWaiters.push(resolve);
		});
		this.kick();
		return closed;
	}

	private kick(): void {
		if (!this.pumping) {
			void this.pump();
		}
	}

	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			for (;;) {
				if (this.reopenRequested) {
					this.reopenRequested = false;
					const wasOpen = this.handle !== undefined;
					await this.closeHandle();
					if (wasOpen) {
						await this.ensureOpen();
					}
				} else if (this.closeRequested) {
					// Checked before the queue: lines still arriving must not put a close off for ever.
					this.closeRequested = false;
					await this.closeHandle();
					const waiters = this.closeWaiters;
					this.closeWaiters = [];
					for (const resolve of waiters) {
						resolve();
					}
				} else if (this.queue.length > 0) {
					await this.writeQueued();
				} else {
					break;
				}
			}
		} finally {
			this.pumping = false;
		}
	}

	private async writeQueued(): Promise<void> {
		const buffers = this.queue;
		this.queue = [];
		const bytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
		await this.reopenIfDeleted();
		if (await this.ensureOpen()) {
			try {
				await appendWhole(this.handle!, buffers, bytes);
				this.resumed();
			} catch (error) {
				this.fail(error, 'write');
				this.drop(buffers);
				await this.closeHandle();
			}
		} else {
			this.drop(buffers);
		}

		this.pendingBytes -= bytes;
		this.settle(buffers.length);
		this.backpressure.update(this.pendingBytes);
	}

	private async ensureOpen(): Promise<boolean> {
		if (this.handle !== undefined) {
			return true;
		}

		if (this.isWaitingToRetry()) {
			return false;
		}

		try {
			await mkdir(dirname(this.path), {recursive: true});
			this.handle = await open(this.path, 'a', 0o640);
			this.failedAt = undefined;
			this.checkedAt = Date.now();
			return true;
		} catch (error) {
			this.fail(error, 'open');
			return false;
		}
	}

	/** Lines written to a deleted file are lost: once a second, an open file is checked and, if deleted, replaced. */
	private async reopenIfDeleted(): Promise<void> {
		if (this.handle === undefined || Date.now() - this.checkedAt < this.retryDelay) {
			return;
		}

		this.checkedAt = Date.now();
		const deleted = await this.handle.stat().then(info => info.nlink === 0, () => false);
		if (deleted) {
			this.options.onError?.(new Error(`Log file ${this.path} was deleted (or its directory removed): writing to a new one`));
			await this.closeHandle();
		}
	}

	private fail(error: unknown, action: string): void {
		this.failedAt = Date.now();
		if (this.dropped === undefined) {
			this.dropped = {lines: 0, bytes: 0};
			const cause = `${action} ${(error as NodeJS.ErrnoException | undefined)?.code ?? String(error)}`;
			const repeated = this.lastReport?.cause === cause && Date.now() - this.lastReport.at < (this.options.repeatWindow ?? 60_000);
			if (!repeated) {
				this.lastReport = {cause, at: Date.now()};
				this.report(error, action);
			}
		}
	}

	private drop(buffers: Buffer[]): void {
		if (this.dropped !== undefined) {
			for (const buffer of buffers) {
				this.dropped.lines += countLines(buffer);
				this.dropped.bytes += buffer.length;
			}
		}
	}

	private resumed(): void {
		if (this.dropped !== undefined) {
			const {dropped} = this;
			this.dropped = undefined;
			this.options.onResumed?.(dropped);
		}
	}

	private async closeHandle(): Promise<void> {
		const handle = this.handle;
		this.handle = undefined;
		try {
			await handle?.close();
		} catch (error) {
			this.report(error, 'close');
		}
	}

	private isWaitingToRetry(): boolean {
		return this.failedAt !== undefined && Date.now() - this.failedAt < this.retryDelay;
	}

	private report(error: unknown, action: string): void {
		this.options.onError?.(new Error(`Could not ${action} log file ${this.path}`, {cause: error}));
	}

	private settle(count: number): void {
		this.settledCount += count;
		if (this.flushWaiters.length === 0) {
			return;
		}

		const ready = this.flushWaiters.filter(waiter => waiter.count <= this.settledCount);
		this.flushWaiters = this.flushWaiters.filter(waiter => waiter.count > this.settledCount);
		for (const waiter of ready) {
			waiter.resolve();
		}
	}
}
