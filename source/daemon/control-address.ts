/**
 * Where a control client reaches a daemon: a string is the path of its Unix socket on this machine; an SshAddress is
 * `fatc proxy` on a server, run through the system's ssh (ssh-channel.ts), which bridges to the socket there.
 */
export type ControlAddress = string | SshAddress;

export type SshAddress = {
	kind: 'ssh';
	/** As the user wrote it: errors name the host by it. */
	url: string;
	host: string;
	user?: string;
	port?: number;
	/** The app's folder or its config file on the server (`~/…` is the SSH user's home); absent: the login folder. */
	path?: string;
};

export const sshUrlForm = 'ssh://[user@]host[:port][/path/to/app-or-config]';

/** A `--host` or FATC_HOST value that is no ssh:// URL fatc can use: the CLI prints it and exits 2. */
export class AddressError extends Error {
	override name = 'AddressError';
}

/**
 * `ssh://[user@]host[:port][/path]` → its parts. `ssh://host/~/app` is `~/app` on the server. Refused: another
 * scheme, a password (ssh asks its agent or keys, never the URL), a query or fragment, and a user or host starting
 * with "-" (ssh would read it as an option).
 */
export function parseSshUrl(text: string): SshAddress {
	const refuse = (why: string) => new AddressError(`${JSON.stringify(text)} ${why}; expected ${sshUrlForm}`);
	if (!text.startsWith('ssh://')) {
		throw refuse('is no ssh:// URL');
	}

	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw refuse('is not a URL');
	}

	// A bracketed IPv6 address is for the URL only: ssh takes it bare.
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	const user = decode(url.username);
	if (host === '') {
		throw refuse('names no host');
	}

	if (url.password !== '') {
		throw refuse('holds a password (ssh uses your keys and agent)');
	}

	if (url.search !== '' || url.hash !== '') {
		throw refuse('has a query or a fragment');
	}

	if (host.startsWith('-') || user?.startsWith('-')) {
		throw refuse('has a user or host starting with "-"');
	}

	const address: SshAddress = {kind: 'ssh', url: text, host};
	if (user !== undefined) {
		address.user = user;
	}

	if (url.port !== '') {
		address.port = Number(url.port);
	}

	const path = decode(url.pathname.replace(/\/+$/, ''));
	if (path !== undefined) {
		address.path = path.startsWith('/~') ? path.slice(1) : path;
	}

	return address;
}

function decode(text: string): string | undefined {
	if (text === '') {
		return undefined;
	}

	try {
		return decodeURIComponent(text);
	} catch {
		throw new AddressError(`"${text}" is not percent-encoded right in an ssh:// URL`);
	}
}

/** How errors and hints name an address. */
export function describeAddress(address: ControlAddress): string {
	return typeof address === 'string' ? address : address.url;
}
