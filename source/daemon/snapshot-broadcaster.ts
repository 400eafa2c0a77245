import type {Socket} from 'node:net';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {sendMessage} from './serve-connection.js';

/** Least milliseconds between two pushed snapshots: at most ~10 a second, however many events. */
const snapshotInterval = 100;
/** A snapshot at least this often, so an attached TUI's countdowns and run times move. */
const heartbeatInterval = 1000;

export type SnapshotBroadcaster = {
	/** From now on the client gets every event, and a snapshot after them. */
	add(socket: Socket): void;
	remove(socket: Socket): void;
	/** Stops the ticks and the subscription to the core. */
	close(): void;
};

/**
 * Pushes the core's events to subscribed clients as they come, and a snapshot on the next tick after any event
 * (plus a heartbeat each second): one snapshot per tick whatever the event rate.
 */
export function startSnapshotBroadcaster(handle: SupervisorHandle): SnapshotBroadcaster {
	const subscribers = new Set<Socket>();
	let snapshotDue = false;
	const pushSnapshot = () => {
		snapshotDue = false;
		if (subscribers.size === 0) {
			return;
		}

		const snapshot = handle.snapshot();
		for (const socket of subscribers) {
			sendMessage(socket, {type: 'snapshot', snapshot});
		}
	};

	const snapshotTimer = setInterval(() => {
		if (snapshotDue) {
			pushSnapshot();
		}
	}, snapshotInterval);
	const heartbeat = setInterval(pushSnapshot, heartbeatInterval);
	const unsubscribe = handle.subscribe(event => {
		snapshotDue = true;
		for (const socket of subscribers) {
			sendMessage(socket, {type: 'event', event});
		}
	});

	return {
		add(socket) {
			subscribers.add(socket);
		},
		remove(socket) {
			subscribers.delete(socket);
		},
		close() {
			clearInterval(snapshotTimer);
			clearInterval(heartbeat);
			unsubscribe();
		},
	};
}
