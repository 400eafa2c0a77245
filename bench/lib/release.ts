import {closeSync, openSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileSize} from './file-size.js';
import {run} from './processes.js';

/** bench/await-release.c writes 19 digits of CLOCK_REALTIME ns and "\n" per run. */
const markBytes = 20;

export type Release = {
	/** Where the runs wait (await-release's arguments). */
	readonly fifo: string;
	readonly marks: string;
	/** Runs that have started (and opened the FIFO). */
	started(): number;
	/** The latest start time the runs wrote, in ms since the epoch; undefined before the first. */
	lastStartAt(): number | undefined;
	/** Ends every run's wait at once; returns when, in ms since the epoch. Idempotent. */
	release(): number;
};

/** Now, in ms since the epoch with sub-millisecond precision (Date.now() has whole ms). */
export function realtime(): number {
	return performance.timeOrigin + performance.now();
}

/**
 * A FIFO in `folder` that the benchmark holds open for writing (O_RDWR never blocks on Linux; Node opens with
 * O_CLOEXEC, so no supervisor or run inherits it): runs opening it to read never block, and every one of them reads
 * end of file when the benchmark closes it.
 */
export async function holdRelease(folder: string): Promise<Release> {
	const fifo = path.join(folder, 'release');
	const marks = path.join(folder, 'marks');
	await run('mkfifo', [fifo]);
	let held: number | undefined = openSync(fifo, 'r+');
	let releasedAt: number | undefined;
	return {
		fifo,
		marks,
		started: () => Math.floor(fileSize(marks) / markBytes),
		lastStartAt() {
			let latest: bigint | undefined;
			let text: string;
			try {
				text = readFileSync(marks, 'latin1');
			} catch {
				return undefined;
			}

			for (let offset = 0; offset + markBytes <= text.length; offset += markBytes) {
				const time = BigInt(text.slice(offset, offset + markBytes - 1));
				latest = latest === undefined || time > latest ? time : latest;
			}

			return latest === undefined ? undefined : Number(latest / 1000n) / 1000;
		},
		release() {
			if (held !== undefined) {
				releasedAt = realtime();
				closeSync(held);
				held = undefined;
			}

			return releasedAt!;
		},
	};
}
