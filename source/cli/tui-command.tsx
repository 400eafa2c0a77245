import {closeSync, openSync} from 'node:fs';
import {render} from 'ink';
import type {Configuration} from '../core/job-definition.js';
import type {SshAddress} from '../daemon/control-address.js';
import {openRemoteSession, openSession} from '../daemon/open-session.js';
import {App} from '../ui/app.js';
import {createScreenWriter} from '../ui/screen-writer.js';
import type {TuiSession} from '../ui/tui-session.js';

export type TuiOptions = {
	/** `fatc attach`: only attach to a running daemon, never start one. */
	attachOnly?: boolean;
	/** `--fresh`: a daemon this TUI starts forgets the remembered scales and pauses (an attached one is left as it is). */
	fresh?: boolean;
	/** ` -c FILE` when the config was named: the hints printed on leaving then reach the daemon from this folder. */
	configArgument?: string;
};

/**
 * `fatc` on a terminal, and `fatc attach`. The core never runs in the TUI's process: the TUI attaches to the daemon
 * of this config, or starts one it owns (SPEC §5). So `D` hands the runs off without touching a single pid, a spawn
 * never stalls a key, and the same UI shows a daemon started hours ago. Resolves with 0 once the TUI is gone.
 * An ssh:// address (`fatc attach --host`): attached to the daemon on that server, through ssh and `fatc proxy`.
 */
export async function tuiCommand(target: Configuration | SshAddress, options: TuiOptions = {}): Promise<number> {
	const session = 'kind' in target
		? await openRemoteSession(target)
		: {...await openSession(target, {attachOnly: options.attachOnly, fresh: options.fresh}), name: target.name};
	const {handle} = session;
	const ended: {how: 'stopped' | 'handed-off' | 'left' | 'terminal-gone'} = {how: session.mode === 'owned' ? 'stopped' : 'left'};
	const tuiSession: TuiSession = {
		mode: session.mode,
		async handOff() {
			await handle.release();
			ended.how = 'handed-off';
		},
		leave() {
			handle.close();
		},
	};

	// A terminal that goes away (SSH drops, tmux is killed) ends the TUI: an owned daemon then stops every run by
	// itself (its owner vanished); an attached one goes on. Signals from outside mean the same as q.
	const onTerminalGone = () => {
		ended.how = 'terminal-gone';
		handle.close();
	};

	const onStopSignal = () => {
		if (session.mode === 'owned') {
			void handle.shutdown();
		} else {
			handle.close();
		}
	};

	process.stdout.on('error', onTerminalGone);
	process.stdin.on('error', onTerminalGone);
	process.stdin.on('end', onTerminalGone);
	process.on('SIGTERM', onStopSignal);
	process.on('SIGINT', onStopSignal);
	process.on('SIGHUP', onTerminalGone);
	const screen = createScreenWriter(process.stdout, {maxFps: 10, input: process.stdin});
	const instance = render(<App handle={handle} session={tuiSession} earlierEvents={() => handle.earlierEvents}/>, {
		stdout: screen.stream,
		debug: true, // one whole frame per write: the screen writer diffs, caps and places the lines
		exitOnCtrlC: false, // Ctrl+C is the TUI's quit key: it asks first while runs are under way
		patchConsole: false, // nothing but frames may reach the screen writer
	});
	try {
		// The connection ends when the daemon stops (q, `fatc stop` elsewhere, a signal) or the TUI leaves.
		await Promise.race([instance.waitUntilExit(), handle.closed]);
	} finally {
		instance.unmount();
		await instance.waitUntilExit().catch(() => undefined);
		screen.close();
		handle.close();
		process.stdin.off('error', onTerminalGone);
		process.stdin.off('end', onTerminalGone);
		process.off('SIGTERM', onStopSignal);
		process.off('SIGINT', onStopSignal);
		process.off('SIGHUP', onTerminalGone);
	}

	if (ended.how === 'terminal-gone') {
		detachFromDeadTerminal();
		return 0;
	}

	const name = `"${session.name}" (pid ${session.daemonPid}${'kind' in target ? ` on ${target.host}` : ''})`;
	const again = options.configArgument ?? '';
	const hint = `Attach again with "fatc attach${again}"; stop it with "fatc stop${again}".`;
	process.stdout.write({
		stopped: 'fatc stopped: every run is gone\n',
		'handed-off': `fatc ${name} keeps every run going in the background.\n${hint}\n`,
		left: `fatc ${name} is still running. ${hint}\n`,
	}[ended.how]);
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
