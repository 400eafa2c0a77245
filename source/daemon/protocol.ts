import type {Snapshot} from '../core/snapshot.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';

/** Bumped on any incompatible change; a client and a daemon of different versions refuse each other clearly. */
export const protocolVersion = 1;

/** The longest message either side accepts (a snapshot of 1,000 runs is ~300 KB). */
export const maximumMessageBytes = 8 * 1024 * 1024;

/** Commands a client may send, with their arguments. */
export type CommandName =
	| 'hello'
	| 'snapshot'
	| 'subscribe'
	| 'scale'
	| 'pause'
	| 'resume'
	| 'restart'
	| 'trigger'
	| 'stop-run'
	| 'reload'
	| 'log-tail'
	| 'shutdown'
	| 'kill'
	| 'release';

/** Client → daemon: one JSON object per line. */
export type Request = {id: number; command: CommandName; args?: unknown[]};

/** Daemon → client: a reply to a request, a pushed event, or a pushed snapshot (to subscribers). */
export type Message =
	| {type: 'reply'; id: number; ok: true; value?: unknown}
	| {type: 'reply'; id: number | null; ok: false; error: string}
	| {type: 'event'; event: SupervisorEvent}
	| {type: 'snapshot'; snapshot: Snapshot};

/** Splits a byte stream into lines, refusing a line longer than maximumMessageBytes. */
export class LineReader {
	private pending = '';

	constructor(private readonly onLine: (line: string) => void, private readonly onOverflow: () => void) {}

	push(chunk: string): void {
		this.pending += chunk;
		let newline = this.pending.indexOf('\n');
		while (newline !== -1) {
			const line = this.pending.slice(0, newline);
			this.pending = this.pending.slice(newline + 1);
			if (line.trim() !== '') {
				this.onLine(line);
			}

			newline = this.pending.indexOf('\n');
		}

		if (this.pending.length > maximumMessageBytes) {
			this.pending = '';
			this.onOverflow();
		}
	}
}
