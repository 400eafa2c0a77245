import {closeSync, openSync} from 'node:fs';
import {render} from 'ink';
import type {Configuration} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {startSupervision} from '../host/start-supervision.js';
import {App} from '../ui/app.js';
import {BoundedList} from '../ui/bounded-list.js';
import {createScreenWriter} from '../ui/screen-writer.js';

export type TuiOptions = {
	loadConfiguration?: () => Promise<Configuration>;
};

/**
 * `fatc` on a terminal: hosts the core like `fatc run` does, and shows it in the TUI instead of printing events.
 * Resolves with 0 once the TUI quit (q) or a signal stopped the runs, and every run is gone.
 */
export async function tuiCommand(configuration: Configuration, options: TuiOptions = {}): Promise<number> {
	// The UI subscribes on its first render; these are the events before that (fatc's start, the first runs).
	const early = new BoundedList<SupervisorEvent>(200);
	const {supervisor, done} = startSupervision({
		configuration,
		loadConfiguration: options.loadConfiguration,
		onEvent(event) {
			early.push(event);
		},
	});

	// A terminal that goes away (SSH drops, tmux is killed) is a quit: stop every run rather than die of EIO and
	// leave them behind. The write errors that follow are expected and dropped.
	let terminalGone = false;
	const onTerminalGone = () => {
		terminalGone = true;
		void supervisor.shutdown();
	};

	process.stdout.on('error', onTerminalGone);
	process.stdin.on('error', onTerminalGone);
	process.stdin.on('end', onTerminalGone);
	const screen = createScreenWriter(process.stdout, {maxFps: 10});
	const instance = render(<App handle={supervisor} earlierEvents={() => early.toArray()}/>, {
		stdout: screen.stream,
		debug: true, // one whole frame per write: the screen writer diffs, caps and places the lines
		exitOnCtrlC: false, // Ctrl+C is the TUI's quit key: it asks first while runs are under way
		patchConsole: false, // nothing but frames may reach the screen writer
	});
	try {
		// SIGTERM/SIGINT from outside stop the runs through the host; the TUI then has nothing left to show.
		await Promise.race([instance.waitUntilExit(), done]);
	} finally {
		instance.unmount();
		await instance.waitUntilExit().catch(() => undefined);
		screen.close();
		await supervisor.shutdown();
		await done;
	}

	process.stdin.off('error', onTerminalGone);
	process.stdin.off('end', onTerminalGone);
	if (terminalGone) {
		detachFromDeadTerminal();
		return 0;
	}

	process.stdout.write('fatc stopped: every run is gone\n');
	return 0;
}

/**
 * Node restores the terminal's mode as it exits and aborts (core dump) when the terminal has hung up (EIO). It skips
 * descriptors that no longer point at the terminal: point them at /dev/null.
 */
function detachFromDeadTerminal(): void {
	for (const [descriptor, stream] of [[0, process.stdin], [1, process.stdout], [2, process.stderr]] as const) {
		if (stream.isTTY) {
			try {
				closeSync(descriptor);
				openSync('/dev/null', 'r+'); // takes the lowest free descriptor: the one just closed
			} catch {
				// Nothing more to do on the way out.
			}
		}
	}
}
