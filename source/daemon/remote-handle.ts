import type {HistoryEntry} from '../core/run-history.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {ReloadOutcome, SupervisorHandle} from '../core/supervisor-handle.js';
import type {ControlClient} from './control-client.js';
import {defaultRunsView, type PagedSnapshot, type RunsView} from './protocol.js';

export type RemoteHandle = SupervisorHandle & {
	/** The daemon's last event lines from before this connection. */
	readonly earlierEvents: SupervisorEvent[];
	/**
	 * Which runs the daemon sends from now on (it sends one job's, a page of them: protocol.ts, RunsView); resolves once
	 * snapshot() holds them. Until the first call: the first job's first 100.
	 */
	showRuns(view: RunsView & {job: string}): Promise<void>;
	/** Leaves the daemon running (and, for an owned daemon, hands it off: SPEC §5). */
	release(): Promise<void>;
	/** Resolves when the connection to the daemon is gone. */
	readonly closed: Promise<void>;
	close(): void;
};

/**
 * The core's handle (SupervisorHandle) on the far side of the control socket: snapshots and events are pushed by the
 * daemon, commands are sent without waiting (a failure comes back as an error event, as it would be shown locally).
 * `view`: the runs to subscribe to (a fleet view asks for one run: it shows none).
 */
export async function createRemoteHandle(client: ControlClient, view: RunsView = defaultRunsView): Promise<RemoteHandle> {
	const listeners = new Set<(event: SupervisorEvent) => void>();
	const subscription = await client.request('subscribe', [view]) as {snapshot: PagedSnapshot; events: SupervisorEvent[]};
	let latest = subscription.snapshot;
	const emit = (event: SupervisorEvent) => {
		for (const listener of listeners) {
			listener(event);
		}
	};

	// Events are held until the snapshot that follows them (≤ 100 ms later), so a listener that reads snapshot()
	// on an event sees the state after it, as it would on the core's own handle.
	let held: SupervisorEvent[] = [];
	client.onMessage(message => {
		if (message.type === 'event') {
			held.push(message.event);
			if (held.length > 1000) {
				held = held.slice(-500);
			}

			return;
		}

		if (message.type !== 'snapshot') {
			return;
		}

		latest = message.snapshot;
		const events = held;
		held = [];
		for (const event of events) {
			emit(event);
		}
	});

	const send = (command: Parameters<ControlClient['request']>[0], args: unknown[]) => {
		client.request(command, args).catch((error: Error) => {
			emit({time: Date.now(), type: 'supervisor-error', message: error.message});
		});
	};

	return {
		snapshot: () => latest,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		scale: (job, instances) => send('scale', [job, instances]),
		scaleBy: (job, by) => send('scale-by', [job, by]),
		pause: job => send('pause', [job]),
		resume: job => send('resume', [job]),
		restart: job => send('restart', [job]),
		trigger: job => send('trigger', [job]),
		stopRun: (job, runId) => send('stop-run', [job, runId]),
		reload: async () => client.request('reload') as Promise<ReloadOutcome>,
		logTail: async (job, lines) => client.request('log-tail', [job, lines]) as Promise<string[]>,
		history: async (query = {}) => client.request('history', [query]) as Promise<HistoryEntry[]>,
		async showRuns(view) {
			// The daemon pushes the snapshot for the new view before it replies.
			await client.request('show-runs', [view]);
		},
		async shutdown() {
			await client.request('shutdown').catch(() => {
				// The daemon may close the connection as it exits.
			});
			await client.closed;
		},
		kill() {
			send('kill', []);
		},
		async release() {
			await client.request('release');
			client.close();
		},
		earlierEvents: subscription.events,
		closed: client.closed,
		close: () => client.close(),
	};
}
