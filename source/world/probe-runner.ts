import type {StartProbe} from '../core/sensors.js';
import {runProbe, type ProbeReading, type ProbeRun, type ProbeSpec} from './run-probe.js';
import type {Report, SensorWatcher} from './sensor-watcher.js';

/**
 * Runs a probe at once, then `every` ms after the previous one ended: never two at once of one spec, however slow
 * it is. stop() kills a probe under way (its whole group) and resolves once its leader has exited.
 */
export function watchProbe(spec: ProbeSpec, report: Report<ProbeReading>, start?: StartProbe): SensorWatcher {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let current: ProbeRun | undefined;
	const next = () => {
		timer = undefined;
		const run = runProbe(spec, start);
		current = run;
		void run.finished.then(reading => {
			current = undefined;
			if (stopped) {
				return;
			}

			// Armed before the report, so that a listener that unwatches from inside it also clears the timer.
			timer = setTimeout(next, spec.every);
			report(reading);
		});
	};

	next();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			const run = current;
			if (run !== undefined) {
				run.kill();
				await run.finished;
			}
		},
	};
}
