/**
 * Why a control client could not reach a daemon, one class per thing the user does about it. Each message is one line
 * that names the place (a socket path or an ssh:// URL); the CLI prints it and exits with `exitStatus` (SPEC §4:
 * 3 when no daemon answers, 2 when the command line or the set-up is wrong), never with a trace.
 */
export class NoDaemonError extends Error {
	override name = 'NoDaemonError';
	readonly exitStatus = 3;
	/** The message already says how to start one (it is the server's own line, from `fatc proxy`). */
	hinted = false;
}

/** ssh could not reach the server (it exited 255: name resolution, refused, host key, authentication); its own line. */
export class UnreachableError extends Error {
	override name = 'UnreachableError';
	readonly exitStatus = 3;
}

/** The server has no fatc for the SSH user (the remote command was not found: ssh exited 127). */
export class NoRemoteFatcError extends Error {
	override name = 'NoRemoteFatcError';
	readonly exitStatus = 2;
}

/** Client and daemon speak different protocol versions (different fatc versions), or the far side is no fatc at all. */
export class ProtocolMismatchError extends Error {
	override name = 'ProtocolMismatchError';
	readonly exitStatus = 2;
}

/** `fatc proxy` (or the fatc command run over ssh) failed on the server otherwise: its line and its exit status. */
export class RemoteCommandError extends Error {
	override name = 'RemoteCommandError';

	constructor(message: string, readonly exitStatus: number) {
		super(message);
	}
}

export type ControlError = NoDaemonError | UnreachableError | NoRemoteFatcError | ProtocolMismatchError | RemoteCommandError;

export function isControlError(error: unknown): error is ControlError {
	return error instanceof NoDaemonError || error instanceof UnreachableError || error instanceof NoRemoteFatcError
		|| error instanceof ProtocolMismatchError || error instanceof RemoteCommandError;
}
