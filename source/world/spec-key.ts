import type {SensorSpec} from '../core/sensors.js';

/**
 * The JSON of a spec with every object's keys sorted: two jobs that build the same spec in another key order (or
 * with their env in another order) still share one watcher.
 */
export function specKey(spec: SensorSpec): string {
	return JSON.stringify(spec, (_key, value: unknown) => {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			return value;
		}

		return Object.fromEntries(Object.entries(value).sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0)));
	});
}
