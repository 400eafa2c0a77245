import type {NotifyKind} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';

/** A job's event that a notifier may be told of: its kind, and for `recovered` how many errors came before. */
export type KindedEvent = {
	kind: NotifyKind;
	event: Extract<SupervisorEvent, {job: string}>;
	/** `recovered` only: the job's runs that ended as error (timeouts included) since its last done or more. */
	errorsBefore?: number;
};

/**
 * Maps events to notification kinds. A timeout is told by the run's end (result error, stopReason `timeout`), not by
 * its `run-stopping`: the end carries the exit and the duration, and the run is then gone. `recovered` is the first
 * done or more after errors, so this remembers each job's errors since its last success (one number a job).
 */
export function createEventKinds(): (event: SupervisorEvent) => KindedEvent | undefined {
	const errorsSince = new Map<string, number>();
	return event => {
		if (event.job === undefined) {
			return undefined;
		}

		switch (event.type) {
			case 'run-ended': {
				if (event.result === 'error') {
					errorsSince.set(event.job, (errorsSince.get(event.job) ?? 0) + 1);
					return {kind: event.stopReason === 'timeout' ? 'timeout' : 'error', event};
				}

				const errorsBefore = errorsSince.get(event.job);
				if ((event.result === 'done' || event.result === 'more') && errorsBefore !== undefined) {
					errorsSince.delete(event.job);
					return {kind: 'recovered', event, errorsBefore};
				}

				return undefined;
			}

			case 'run-warning': {
				return {kind: 'warning', event};
			}

			case 'held':
			case 'released': {
				return {kind: event.type, event};
			}

			case 'sensor-failed': {
				return {kind: 'probe-failed', event};
			}

			default: {
				return undefined;
			}
		}
	};
}
