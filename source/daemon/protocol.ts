import type {JobSnapshot, Snapshot} from '../core/snapshot.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';

/** Bumped on any incompatible change; a client and a daemon of different versions refuse each other clearly. */
export const protocolVersion = 2;

/** The longest message either side accepts (a whole snapshot, as `status` asks for it, of 1,000 runs is ~200 KB). */
export const maximumMessageBytes = 8 * 1024 * 1024;

/** Commands a client may send, with their arguments. */
export type CommandName =
	| 'hello'
	| 'snapshot'
	| 'subscribe'
	| 'show-runs'
	| 'scale'
	| 'scale-by'
	| 'pause'
	| 'resume'
	| 'restart'
	| 'trigger'
	| 'stop-run'
	| 'reload'
	| 'log-tail'
	| 'history'
	| 'metrics'
	| 'shutdown'
	| 'kill'
	| 'release';

/** Client → daemon: one JSON object per line. */
export type Request = {id: number; command: CommandName; args?: unknown[]};

/**
 * Which runs a subscriber is sent (`subscribe` and `show-runs` take one): one job's — by name, or null for the first
 * job, as a TUI selects it at first — `limit` of them (1 to maximumRunsLimit) from position `offset` in slot order.
 * The other jobs come without runs: a TUI shows one job's runs, a screen of them, and asks for the next as it scrolls.
 * `events: false` (a fleet view, which shows no event lines): no events, and a snapshot once a second (the heartbeat),
 * not after each event; a daemon from before ignores it and sends as to a TUI.
 */
export type RunsView = {job: string | null; offset: number; limit: number; events?: boolean};

/** A subscriber that names no view: the first job's first 100 runs. */
export const defaultRunsView: RunsView = {job: null, offset: 0, limit: 100};

export const maximumRunsLimit = 1000;

/**
 * What `fatc status` asks (without --json): each job's first 20 runs, the rest counted in `runsTotal`, not listed —
 * with 10,000 runs under way that is a screen, not a 3 MB answer over a slow link. `snapshot` without arguments
 * still carries every run (`status --json`).
 */
export const statusSnapshotArguments: unknown[] = [{runsPerJob: 20}];

/**
 * A job as a subscriber is sent it: `workers` holds only the runs of its view (none for the other jobs); `runsTotal`
 * still counts them all and `workersOffset` is the position of `workers[0]`.
 */
export type PagedJobSnapshot = JobSnapshot;

/** A snapshot as a subscriber is sent it; `snapshot` without arguments (`fatc status --json`) still carries every run. */
export type PagedSnapshot = Omit<Snapshot, 'jobs'> & {jobs: PagedJobSnapshot[]};

/** Daemon → client: a reply to a request, a pushed event, or a pushed snapshot (to subscribers). */
export type Message =
	| {type: 'reply'; id: number; ok: true; value?: unknown}
	| {type: 'reply'; id: number | null; ok: false; error: string}
	| {type: 'event'; event: SupervisorEvent}
	| {type: 'snapshot'; snapshot: PagedSnapshot};

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
