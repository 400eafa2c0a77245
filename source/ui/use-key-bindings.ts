import {useApp, useInput, useStdin} from 'ink';
import {useRef, type Dispatch} from 'react';
import type {Snapshot} from '../core/snapshot.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {describeError} from '../cli/describe-error.js';
import {commandFor, type Command} from './key-map.js';
import type {Layout} from './layout.js';
import {runsUnderWay, type Selection} from './selection.js';
import type {UiAction, UiState} from './ui-state.js';

export type KeyBindingContext = {
	handle: SupervisorHandle;
	snapshot: Snapshot;
	ui: UiState;
	selection: Selection;
	layout: Layout;
	logLength: number;
	dispatch: Dispatch<UiAction>;
	refresh(): void;
};

/** The one owner of keyboard input: a key becomes a command, and a command a handle call or a UI change. */
export function useKeyBindings(context: KeyBindingContext): void {
	const {isRawModeSupported} = useStdin();
	const {exit} = useApp();
	// Ink swaps the input handler in an effect, after the frame: a key pressed in between must see this render.
	const latest = useRef(context);
	latest.current = context;
	useInput((input, key) => {
		const command = commandFor(input, key, latest.current.ui);
		if (command) {
			run(command, latest.current, exit);
		}
	}, {isActive: isRawModeSupported === true});
}

function run(command: Command, context: KeyBindingContext, exit: () => void): void {
	const {handle, ui, selection, dispatch} = context;
	const job = selection.job;
	const say = (message: string | undefined) => {
		dispatch({type: 'status', message});
	};

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
		case 'up':
		case 'down':
		case 'page-up':
		case 'page-down':
		case 'first':
		case 'last': {
			move(command, context);
			return;
		}

		case 'cycle-focus': {
			dispatch({type: 'cycle-focus'});
			return;
		}

		case 'toggle-log': {
			dispatch({type: 'toggle-log'});
			return;
		}

		case 'help': {
			dispatch({type: 'open', overlay: 'help'});
			return;
		}

		case 'cancel': {
			dispatch({type: 'close-overlay'});
			say(undefined);
			return;
		}

		case 'hand-off': {
			say('hand-off to a daemon is not built yet');
			return;
		}

		case 'reload': {
			say('reloading the config…');
			handle.reload().then(
				outcome => {
					say(outcome.ok ? `reloaded: ${outcome.summary}` : `reload failed: ${outcome.error}`);
				},
				(error: unknown) => {
					say(`reload failed: ${describeError(error)}`);
				},
			);
			return;
		}

		case 'quit': {
			const underWay = runsUnderWay(context.snapshot);
			if (underWay > 0) {
				dispatch({type: 'open', overlay: 'confirm-quit'});
				return;
			}

			quit(context, exit);
			return;
		}

		case 'confirm': {
			quit(context, exit);
			return;
		}

		case 'force-quit': {
			dispatch({type: 'quitting', how: 'killing', message: 'killing every run (SIGKILL)…'});
			handle.kill();
			return;
		}

		default: {
			break;
		}
	}

	if (!job) {
		say('no job selected');
		return;
	}

	const run = ui.focus === 'runs' ? selection.run : undefined;
	switch (command) {
		case 'scale-up': {
			act(`${job.name}: instances ${job.instances} -> ${job.instances + 1}`, () => {
				handle.scale(job.name, job.instances + 1);
			});
			return;
		}

		case 'scale-down': {
			if (job.instances === 0) {
				say(`${job.name}: already at 0 instances`);
				return;
			}

			act(`${job.name}: instances ${job.instances} -> ${job.instances - 1}`, () => {
				handle.scale(job.name, job.instances - 1);
			});
			return;
		}

		case 'restart': {
			if (run) {
				// The handle stops one run; the job's own rules start its successor.
				act(`${job.name}: restarting run #${run.runId}`, () => {
					handle.stopRun(job.name, run.runId);
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
			act(`${job.name}: triggered a run`, () => {
				handle.trigger(job.name);
			});
			return;
		}

		case 'stop-run': {
			if (!run) {
				say(ui.focus === 'runs' ? `${job.name}: no run to stop` : 'Tab to the runs table and pick the run to stop');
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

function quit(context: KeyBindingContext, exit: () => void): void {
	const underWay = runsUnderWay(context.snapshot);
	context.dispatch({type: 'quitting', how: 'stopping', message: underWay > 0 ? `stopping ${underWay} ${underWay === 1 ? 'run' : 'runs'}…` : 'quitting…'});
	context.handle.shutdown().then(
		() => {
			exit();
		},
		(error: unknown) => {
			context.dispatch({type: 'status', message: `stop failed: ${describeError(error)}`});
		},
	);
}

/** Arrow keys and j/k move in the focused pane: jobs, runs, or scroll the log. */
function move(command: Command, context: KeyBindingContext): void {
	const {ui, selection, snapshot, layout, dispatch} = context;
	const page = {jobs: layout.jobRows, runs: layout.runRows, log: layout.bottomRows}[ui.focus];
	const steps: Partial<Record<Command, number>> = {up: -1, down: 1, 'page-up': -page, 'page-down': page, first: -Infinity, last: Infinity};
	const step = steps[command] ?? 0;
	if (ui.focus === 'log') {
		// The log scrolls back from its end: "up" (a negative step) goes back in time.
		const by = Number.isFinite(step) ? -step : -Math.sign(step) * context.logLength;
		dispatch({type: 'scroll-log', by, maximum: context.logLength - layout.bottomRows});
		return;
	}

	if (ui.focus === 'jobs') {
		dispatch({type: 'move-job', by: step, jobs: snapshot.jobs.map(job => job.name)});
	} else {
		dispatch({type: 'move-run', by: step, runIds: (selection.job?.workers ?? []).map(worker => worker.runId)});
	}
}
