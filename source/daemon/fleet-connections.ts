import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {ControlClient} from './control-client.js';
import type {PagedSnapshot, RunsView} from './protocol.js';
import {createRemoteHandle, type RemoteHandle} from './remote-handle.js';

/** One daemon of a fleet: a short name for the HOST column, its address as written, and how to reach it. */
export type FleetHost = {name: string; address: string; connect(): Promise<ControlClient>};

/** How one host stands, as the fleet view shows it. */
export type HostState = {
	name: string;
	address: string;
	/** `connecting` only before the first answer: a host that was up and dropped stays `unreachable` while retried. */
	status: 'connecting' | 'up' | 'unreachable';
	/** When it entered this status (ms, this machine's clock). */
	since: number;
	/** Why it is unreachable (the last attempt's error); null while up. */
	reason: string | null;
	/** Its latest snapshot; while unreachable the last one seen (the rows keep their jobs), null before any. */
	snapshot: PagedSnapshot | null;
	/** When the next attempt is due, while unreachable. */
	retryAt: number | null;
};

export type FleetHandle = {
	/** Every host, in the order given. */
	hosts(): HostState[];
	/** The host's own handle while it is up, to steer it; undefined while it is not. */
	handle(host: string): RemoteHandle | undefined;
	/** Called on any change: a snapshot or event from a host (the event given), a host up or down. Returns the unsubscribe. */
	subscribe(listener: (host: string, event?: SupervisorEvent) => void): () => void;
	/** Closes every connection and stops retrying; the daemons go on. */
	close(): void;
};

export type FleetOptions = {
	/** First wait before reconnecting (ms), doubled on each failure up to `maximumRetry`. Default 1 s. */
	firstRetry?: number;
	/** Default 30 s. */
	maximumRetry?: number;
	/** An up host that sends nothing for this long is taken for gone (a daemon pushes a snapshot each second). Default 10 s. */
	silence?: number;
	/** A connection (ssh, hello, subscribe) that takes longer is given up. Default 20 s. */
	connectTimeout?: number;
	now?: () => number;
};

/**
 * What a fleet view subscribes to: one run (the least the protocol allows) and no events, so each host sends its jobs'
 * counters once a second and nothing per run: the fleet table shows jobs, neither runs nor event lines.
 */
export const fleetRunsView: RunsView = {job: null, offset: 0, limit: 1, events: false};

type Entry = {
	state: HostState;
	host: FleetHost;
	handle: RemoteHandle | undefined;
	delay: number;
	timer: NodeJS.Timeout | undefined;
	lastMessage: number;
};

/**
 * One remote handle per host, each connected on its own: a host that is slow, refuses or drops out never holds up the
 * others (nothing here awaits one host on another's behalf). A host that drops out is marked unreachable, with the
 * reason and since when, and retried after 1 s, 2 s, 4 s… up to 30 s; its last snapshot stays for its rows.
 */
export function connectFleet(hosts: readonly FleetHost[], options: FleetOptions = {}): FleetHandle {
	const {firstRetry = 1000, maximumRetry = 30_000, silence = 10_000, connectTimeout = 20_000, now = Date.now} = options;
	const listeners = new Set<(host: string, event?: SupervisorEvent) => void>();
	let closed = false;
	const notify = (host: string, event?: SupervisorEvent) => {
		for (const listener of listeners) {
			listener(host, event);
		}
	};

	const entries: Entry[] = hosts.map(host => ({
		host,
		state: {name: host.name, address: host.address, status: 'connecting', since: now(), reason: null, snapshot: null, retryAt: null},
		handle: undefined,
		delay: firstRetry,
		timer: undefined,
		lastMessage: 0,
	}));

	const lost = (entry: Entry, reason: string) => {
		entry.handle?.close();
		entry.handle = undefined;
		if (closed) {
			return;
		}

		const {state} = entry;
		if (state.status !== 'unreachable') {
			state.status = 'unreachable';
			state.since = now();
		}

		state.reason = reason;
		state.retryAt = now() + entry.delay;
		entry.timer = setTimeout(() => {
			void connect(entry);
		}, entry.delay);
		entry.delay = Math.min(entry.delay * 2, maximumRetry);
		notify(state.name);
	};

	const connect = async (entry: Entry) => {
		entry.timer = undefined;
		let client: ControlClient;
		let handle: RemoteHandle;
		try {
			({client, handle} = await withTimeout(async () => {
				const connected = await entry.host.connect();
				try {
					return {client: connected, handle: await createRemoteHandle(connected, fleetRunsView)};
				} catch (error) {
					connected.close();
					throw error;
				}
			}, connectTimeout, late => {
				late.client.close();
			}));
		} catch (error) {
			lost(entry, error instanceof Error ? error.message : String(error));
			return;
		}

		if (closed) {
			handle.close();
			return;
		}

		entry.handle = handle;
		entry.delay = firstRetry;
		entry.lastMessage = now();
		Object.assign(entry.state, {status: 'up', since: now(), reason: null, retryAt: null, snapshot: handle.snapshot()});
		handle.subscribe(event => {
			notify(entry.state.name, event);
		});
		client.onMessage(() => {
			entry.lastMessage = now();
			entry.state.snapshot = handle.snapshot();
			notify(entry.state.name);
		});
		void handle.closed.then(() => {
			if (entry.handle === handle) {
				lost(entry, 'the connection closed');
			}
		});
		notify(entry.state.name);
	};

	// A link that hangs (a network gone, not a daemon) closes nothing: silence says it.
	const watchdog = setInterval(() => {
		for (const entry of entries) {
			if (entry.handle && now() - entry.lastMessage > silence) {
				lost(entry, `no word from it for ${Math.round(silence / 1000)} s`);
			}
		}
	}, Math.min(1000, silence));

	for (const entry of entries) {
		void connect(entry);
	}

	return {
		hosts: () => entries.map(entry => ({...entry.state})),
		handle: name => entries.find(entry => entry.state.name === name)?.handle,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		close() {
			closed = true;
			clearInterval(watchdog);
			for (const entry of entries) {
				clearTimeout(entry.timer);
				entry.handle?.close();
				entry.handle = undefined;
			}
		},
	};
}

/** `start()`'s result, or a timeout error; what arrives after the timeout is handed to `discard`. */
async function withTimeout<T>(start: () => Promise<T>, milliseconds: number, discard: (late: T) => void): Promise<T> {
	const attempt = start();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`no answer within ${Math.round(milliseconds / 1000)} s`));
			attempt.then(discard, () => undefined);
		}, milliseconds);
	});
	try {
		return await Promise.race([attempt, timeout]);
	} finally {
		clearTimeout(timer);
	}
}
