import type {JobSnapshot, WorkerSnapshot} from '../core/snapshot.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {describeError} from '../reporters/describe-error.js';
import type {Command} from './key-map.js';
import type {Pane} from './ui-state.js';

export type JobCommandContext = {
	handle: SupervisorHandle;
	say(message: string): void;
	refresh(): void;
	focus: Pane;
};

/** The commands that act on the selected job (or on its selected run, when the runs table has the focus). */
export function runJobCommand(command: Command, job: JobSnapshot, run: WorkerSnapshot | undefined, context: JobCommandContext): void {
	const {handle, say, focus} = context;
	// Every handle call can throw (an unknown job after a reload removed it): the error becomes the status line.
	const act = (message: string, call: () => void) => {
		try {
			call();
			say(message);
		} catch (error) {
			say(`${message} failed: ${describeError(error)}`);
		}

		context.refresh();
	};

	switch (command) {
		case 'scale-up':
		case 'scale-down': {
			// Relative, applied by the core from its own value: presses quicker than snapshots each count. The
			// event line says what it became.
			const by = command === 'scale-up' ? 1 : -1;
			act(`${job.name}: instances ${by > 0 ? '+1' : '-1'}`, () => {
				handle.scaleBy(job.name, by);
			});
			return;
		}

		case 'restart': {
			if (run) {
				// Stop it, and a trigger takes the slot as soon as the run is gone, whatever hold or interval applies.
				act(`${job.name}: restarting run #${run.runId}`, () => {
					handle.stopRun(job.name, run.runId);
					handle.trigger(job.name);
				});
			} else {
				act(`${job.name}: restarting every run`, () => {
					handle.restart(job.name);
				});
			}

			return;
		}

		case 'pause': {
			act(`${job.name}: ${job.paused ? 'resumed' : 'paused'}`, () => {
				if (job.paused) {
					handle.resume(job.name);
				} else {
					handle.pause(job.name);
				}
			});
			return;
		}

		case 'trigger': {
			if (job.instances === 0) {
				say(`${job.name}: not triggered: it has 0 instances (+ scales it up)`);
				return;
			}

			act(`${job.name}: triggered a run`, () => {
				handle.trigger(job.name);
			});
			return;
		}

		case 'stop-run': {
			if (!run) {
				say(focus === 'runs' ? `${job.name}: no run to stop` : 'Tab to the runs table and pick the run to stop');
				return;
			}

			act(`${job.name}: stopping run #${run.runId}`, () => {
				handle.stopRun(job.name, run.runId);
			});
			return;
		}

		default: {
			break;
		}
	}
}
