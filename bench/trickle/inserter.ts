import {writeFileSync} from 'node:fs';
import type {Postgres} from '../lib/postgres.js';
import {start, stop} from '../lib/processes.js';
import {delay} from '../lib/wait.js';

export type TrickleOptions = {
	/** E-mails to insert, one every `intervalMilliseconds`. */
	count: number;
	intervalMilliseconds: number;
	/** Written after each insert has committed ("there is work"), when given. */
	wakeFile?: string;
};

export type Trickled = {
	inserted: number;
	/** How late the latest insert was sent, against its slot on the 100 ms grid (a busy machine delays timers). */
	worstLateMilliseconds: number;
	seconds: number;
};

/**
 * The application: one psql session fed an insert every `intervalMilliseconds` on a fixed grid (no drift), each
 * returning its id; the wake file is written when that id comes back, so only after the row is committed.
 * `created_at` is the database's clock_timestamp(), the same clock as the workers' `sent_at`.
 */
export async function trickle(postgres: Postgres, options: TrickleOptions): Promise<Trickled> {
	const session = start(postgres.psql, [...postgres.psqlArguments], {stdio: ['pipe', 'pipe', 'inherit']});
	const {stdin, stdout} = session.child;
	if (stdin === null || stdout === null) {
		throw new Error('psql started without pipes');
	}

	let inserted = 0;
	let pending = '';
	stdout.setEncoding('utf8').on('data', (chunk: string) => {
		pending += chunk;
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) {
			if (/^\d+$/.test(line.trim())) {
				inserted++;
				if (options.wakeFile !== undefined) {
					writeFileSync(options.wakeFile, `${line.trim()}\n`);
				}
			}
		}
	});

	const startedAt = performance.now();
	let worstLateMilliseconds = 0;
	try {
		for (let index = 0; index < options.count; index++) {
			const due = startedAt + (index * options.intervalMilliseconds);
			const wait = due - performance.now();
			if (wait > 0) {
				await delay(wait);
			}

			worstLateMilliseconds = Math.max(worstLateMilliseconds, performance.now() - due);
			stdin.write('insert into emails default values returning id;\n');
		}

		stdin.end();
		const code = await Promise.race([session.exited, delay(30_000).then(() => 'timeout' as const)]);
		if (code !== 0) {
			throw new Error(`the inserting psql ended with ${String(code)}: ${inserted} of ${options.count} rows inserted`);
		}
	} finally {
		await stop(session, 2000);
	}

	return {inserted, worstLateMilliseconds, seconds: (performance.now() - startedAt) / 1000};
}
