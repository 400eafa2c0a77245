import {useCallback, useEffect, useRef, useState} from 'react';
import type {Snapshot} from '../core/snapshot.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {BoundedList} from '../core/bounded-list.js';

export type SupervisorView = {
	snapshot: Snapshot;
	/** The latest events, oldest first, at most `eventLimit`. */
	events: SupervisorEvent[];
	/** Asks for a fresh snapshot (after a key acted), within the same 100 ms cap. */
	refresh(): void;
};

export type ViewOptions = {
	/** Events that happened before the UI subscribed (read once, as it subscribes). */
	earlierEvents?: () => SupervisorEvent[];
	/** Default 200. */
	eventLimit?: number;
	/** Least milliseconds between two snapshots. Default 100: whatever the event rate, at most 10 pulls a second. */
	minimumInterval?: number;
	/** A pull at least this often, for countdowns and run times. Default 1000. */
	tickInterval?: number;
};

/**
 * The one subscription of the UI to the core: events mark the view stale, and a stale view pulls `snapshot()` at
 * most every `minimumInterval` ms; a tick pulls every second so countdowns move. One render per pull, however many
 * events arrived in between.
 */
export function useSupervisorView(handle: SupervisorHandle, options: ViewOptions = {}): SupervisorView {
	const {eventLimit = 200, minimumInterval = 100, tickInterval = 1000} = options;
	const [view, setView] = useState(() => ({snapshot: handle.snapshot(), events: [] as SupervisorEvent[]}));
	const scheduleReference = useRef<() => void>(() => {});
	const earlierEvents = useRef(options.earlierEvents);

	useEffect(() => {
		const events = new BoundedList<SupervisorEvent>(eventLimit);
		let timer: NodeJS.Timeout | undefined;
		let lastPull = Number.NEGATIVE_INFINITY;
		const pull = () => {
			timer = undefined;
			lastPull = performance.now();
			setView({snapshot: handle.snapshot(), events: events.toArray()});
		};

		const schedule = () => {
			timer ??= setTimeout(pull, Math.max(0, lastPull + minimumInterval - performance.now()));
		};

		const unsubscribe = handle.subscribe(event => {
			events.push(event);
			schedule();
		});
		// Read after subscribing, in the same tick: no event is lost or shown twice.
		for (const event of earlierEvents.current?.() ?? []) {
			events.push(event);
		}

		scheduleReference.current = schedule;
		pull();
		const tick = setInterval(schedule, tickInterval);
		return () => {
			unsubscribe();
			clearInterval(tick);
			clearTimeout(timer);
			scheduleReference.current = () => {};
		};
	}, [handle, eventLimit, minimumInterval, tickInterval]);

	const refresh = useCallback(() => {
		scheduleReference.current();
	}, []);
	return {...view, refresh};
}
