import type {Clock} from './clock.js';
import type {SupervisorEvent} from './supervisor-event.js';

type WithoutTime<Event> = Event extends unknown ? Omit<Event, 'time'> : never;

/** An event before the bus stamps it with the supervisor's clock. */
export type UntimedEvent = WithoutTime<SupervisorEvent>;

export type EventBus = {
	/** Stamps the event with the clock's time and hands it to every listener. */
	emit(event: UntimedEvent): void;
	/** Calls `listener` for every event; returns the unsubscribe. */
	subscribe(listener: (event: SupervisorEvent) => void): () => void;
};

/** The supervisor's listeners: one clock stamps every event (SupervisorEvent.time). */
export function createEventBus(clock: Clock): EventBus {
	const listeners = new Set<(event: SupervisorEvent) => void>();
	return {
		emit(event) {
			const timed = {...event, time: clock.now()} as SupervisorEvent;
			for (const listener of listeners) {
				listener(timed);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}
