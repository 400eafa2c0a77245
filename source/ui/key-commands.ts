import type {Dispatch} from 'react';
import type {Snapshot} from '../core/snapshot.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {describeError} from '../reporters/describe-error.js';
import type {Command} from './key-map.js';
import type {Layout} from './layout.js';
import {runJobCommand} from './job-commands.js';
import {runsUnderWay, type Selection} from './selection.js';
import type {TuiSession} from './tui-session.js';
import type {UiAction, UiState} from './ui-state.js';

/** What a key acts on: the frame the user sees, and the ways to change it. */
export type KeyBindingContext = {
	handle: SupervisorHandle;
	session?: TuiSession;
	snapshot: Snapshot;
	ui: UiState;
	selection: Selection;
	layout: Layout;
	/** Lines the bottom pane can scroll through (the log's, or the history's). */
	logLength: number;
	dispatch: Dispatch<UiAction>;
	refresh(): void;
};

/** Carries out one command: a handle call (its outcome in the status line) or a change of the UI's own state. */
export function performKeyCommand(command: Command, context: KeyBindingContext, exit: () => void): void {
	const {handle, ui, selection, dispatch} = context;
	const {job} = selection;
	const say = (message: string | undefined) => {
		dispatch({type: 'status', message});
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

		case 'toggle-log':
		case 'toggle-history': {
			dispatch({type: command});
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
			handOff(context, exit);
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
			if (context.session?.mode === 'attached') {
				// Attached to a daemon: quitting leaves it and its runs as they are.
				context.session.leave();
				exit();
				return;
			}

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

	if (job) {
		runJobCommand(command, job, ui.focus === 'runs' ? selection.run : undefined, {handle, say, refresh: context.refresh, focus: ui.focus});
	} else {
		say('no job selected');
	}
}

function handOff(context: KeyBindingContext, exit: () => void): void {
	const {session, dispatch} = context;
	if (session?.mode !== 'owned') {
		dispatch({type: 'status', message: session ? 'this is the daemon already: q leaves it running' : 'no daemon to hand off to'});
		return;
	}

	dispatch({type: 'quitting', how: 'stopping', message: 'handing the runs off to the daemon…'});
	session.handOff().then(
		() => {
			exit();
		},
		(error: unknown) => {
			dispatch({type: 'status', message: `hand-off failed: ${describeError(error)}`});
		},
	);
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
		// The log scrolls back from its end: "up" (a negative step) goes back in time; the history has the newest
		// run on top, so there "down" does.
		const back = ui.bottom === 'history' ? step : -step;
		const by = Number.isFinite(back) ? back : Math.sign(back) * context.logLength;
		dispatch({type: 'scroll-log', by, maximum: context.logLength - layout.bottomRows});
		return;
	}

	if (ui.focus === 'jobs') {
		dispatch({type: 'move-job', by: step, jobs: snapshot.jobs.map(job => job.name)});
	} else {
		const {workers, offset, total} = selection.runs;
		dispatch({type: 'move-run', by: step, runIds: workers.map(worker => worker.runId), offset, total});
	}
}
