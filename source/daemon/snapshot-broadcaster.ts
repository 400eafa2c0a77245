import type {SupervisorHandle} from '../core/supervisor-handle.js';
import type {Message, PagedSnapshot, RunsView} from './protocol.js';
import {pagedSnapshot, viewKey} from './runs-view.js';

/** Least milliseconds between two pushed snapshots: at most ~10 a second, however many events. */
const snapshotInterval = 100;
/** A snapshot at least this often, so an attached TUI's countdowns and run times move. */
const heartbeatInterval = 1000;

export type BroadcasterOptions<Client> = {
	/** Writes one serialised message (newline included) to a client. */
	deliver(client: Client, line: string): void;
	/** Default JSON.stringify; a test counts its calls. */
	serialize?: (message: Message) => string;
};

export type SnapshotBroadcaster<Client> = {
	/** From now on the client gets every event, and snapshots paged for `view`; returns the one it starts from. */
	add(client: Client, view: RunsView): PagedSnapshot;
	/** Changes which runs a subscribed client is sent, and sends it a snapshot for them at once. Throws if not subscribed. */
	show(client: Client, view: RunsView): void;
	remove(client: Client): void;
	/** Stops the ticks and the subscription to the core. */
	close(): void;
};

/**
 * Pushes the core's events to subscribed clients as they come, and a snapshot on the next tick after any event
 * (plus a heartbeat each second): one snapshot per tick whatever the event rate; a subscriber of no events only the
 * heartbeat's. Each message is serialised once for
 * all the clients that get the same bytes: an event once, a tick's snapshot once per distinct view of the runs.
 */
export function startSnapshotBroadcaster<Client>(handle: SupervisorHandle, options: BroadcasterOptions<Client>): SnapshotBroadcaster<Client> {
	const {deliver, serialize = JSON.stringify} = options;
	const subscribers = new Map<Client, RunsView>();
	const line = (message: Message) => `${serialize(message)}\n`;
	let snapshotDue = false;
	// A tick's snapshot follows events; a subscriber of none (RunsView.events false) gets only the heartbeat's.
	const pushSnapshot = (heartbeat: boolean) => {
		snapshotDue = false;
		if (subscribers.size === 0) {
			return;
		}

		const lines = new Map<string, string>();
		for (const [client, view] of subscribers) {
			if (!heartbeat && view.events === false) {
				continue;
			}

			const key = viewKey(view);
			let text = lines.get(key);
			if (text === undefined) {
				// One snapshot per distinct view, of its runs alone: with 10,000 runs, not every run's entry per tick.
				text = line({type: 'snapshot', snapshot: pagedSnapshot(handle, view)});
				lines.set(key, text);
			}

			deliver(client, text);
		}
	};

	const snapshotTimer = setInterval(() => {
		if (snapshotDue) {
			pushSnapshot(false);
		}
	}, snapshotInterval);
	const heartbeat = setInterval(() => {
		pushSnapshot(true);
	}, heartbeatInterval);
	const unsubscribe = handle.subscribe(event => {
		snapshotDue = true;
		if (subscribers.size === 0) {
			return;
		}

		const text = line({type: 'event', event});
		for (const [client, view] of subscribers) {
			if (view.events !== false) {
				deliver(client, text);
			}
		}
	});

	return {
		add(client, view) {
			subscribers.set(client, view);
			return pagedSnapshot(handle, view);
		},
		show(client, view) {
			if (!subscribers.has(client)) {
				throw new Error('show-runs: subscribe first');
			}

			subscribers.set(client, view);
			deliver(client, line({type: 'snapshot', snapshot: pagedSnapshot(handle, view)}));
		},
		remove(client) {
			subscribers.delete(client);
		},
		close() {
			clearInterval(snapshotTimer);
			clearInterval(heartbeat);
			unsubscribe();
		},
	};
}
