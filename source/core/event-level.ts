import type {SupervisorEvent} from './supervisor-event.js';

/** How much an event matters to a person on call: what log systems filter on (journald priorities, Loki levels). */
export type EventLevel = 'info' | 'warn' | 'error';

/**
 * Every event's level: `error` for what failed (a run that ended as error, fatc's own errors, a config that did not
 * load); `warn` for what a person may have to act on before it fails (a run past warnAfter, a timeout stop, a hold, a
 * probe that fails, dropped log lines, fatc working on another way: supervisor-warning); `info` for the rest.
 */
export function eventLevel(event: SupervisorEvent): EventLevel {
	switch (event.type) {
		case 'run-ended': {
			return event.result === 'error' ? 'error' : 'info';
		}

		case 'supervisor-error':
		case 'config-error': {
			return 'error';
		}

		case 'run-stopping': {
			return event.reason === 'timeout' || event.reason === 'fenced' ? 'warn' : 'info';
		}

		case 'supervisor-warning':
		case 'cluster-unreachable':
		case 'cluster-local':
		case 'run-warning':
		case 'held':
		case 'sensor-failed':
		case 'log-resumed': {
			return 'warn';
		}

		default: {
			return 'info';
		}
	}
}
