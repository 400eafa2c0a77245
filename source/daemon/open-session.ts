import type {Configuration} from '../core/job-definition.js';
import type {SshAddress} from './control-address.js';
import {connectClient, NoDaemonError, type ControlClient} from './control-client.js';
import {daemonPaths} from './daemon-paths.js';
import {startDaemon, waitForAnswer} from './detach.js';
import {DaemonRunningError} from './pid-file.js';
import {createRemoteHandle, type RemoteHandle} from './remote-handle.js';

/**
 * What a TUI shows: `attached` to a daemon that was already running (quitting leaves it running), or `owned`: a
 * daemon this TUI started for itself, which stops every run when the TUI quits or vanishes — unless the TUI hands
 * it off (`D`, SPEC §5). Either way the TUI talks to the core through the same handle, so a hand-off moves no run.
 */
export type Session = {mode: 'attached' | 'owned'; handle: RemoteHandle; daemonPid: number; socket: string};

export async function openSession(configuration: Configuration, options: {attachOnly?: boolean; fresh?: boolean} = {}): Promise<Session> {
	const {socket} = daemonPaths(configuration);
	try {
		const client = await connectClient(socket);
		return {mode: 'attached', handle: await createRemoteHandle(client), daemonPid: client.daemon.pid, socket};
	} catch (error) {
		if (!(error instanceof NoDaemonError) || options.attachOnly) {
			throw error;
		}
	}

	let client: ControlClient;
	try {
		client = await startDaemon(configuration, {owned: true, fresh: options.fresh});
	} catch (error) {
		if (!(error instanceof DaemonRunningError)) {
			throw error;
		}

		// Another fatc started it a moment ago (two TUIs at once): this one attaches, as it would a moment later.
		const running = await waitForAnswer(socket, error.pid);
		return {mode: 'attached', handle: await createRemoteHandle(running), daemonPid: running.daemon.pid, socket};
	}

	return {mode: 'owned', handle: await createRemoteHandle(client), daemonPid: client.daemon.pid, socket};
}

/** `fatc attach --host ssh://…`: a TUI attached through ssh and `fatc proxy`; it never starts a daemon there. */
export async function openRemoteSession(address: SshAddress): Promise<Session & {name: string}> {
	const client = await connectClient(address);
	return {mode: 'attached', handle: await createRemoteHandle(client), daemonPid: client.daemon.pid, socket: address.url, name: client.daemon.name};
}
