import {stat} from 'node:fs/promises';
import path from 'node:path';
import {defaultRunDirectory} from '../config/resolve.js';
import {namePattern} from '../core/job-definition.js';
import type {FleetEntry} from '../config/fleet-file.js';
import {parseSshUrl} from '../daemon/control-address.js';
import {connectClient} from '../daemon/control-client.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import type {FleetHost} from '../daemon/fleet-connections.js';
import {loadClientConfiguration} from './client-configuration.js';
import {UsageError} from './usage-error.js';

/**
 * The daemons of a fleet, from what the user wrote: an ssh:// URL (through `ssh … fatc proxy`), a config file or an
 * app's folder on this machine, or the name of a daemon here (its socket in the default run folder). Several daemons
 * on one machine are a fleet too. Each gets a short name for the HOST column: the one given, else the URL's host or
 * the daemon's name; a name taken twice gets "#2".
 */
export async function fleetHosts(entries: readonly FleetEntry[], cwd: string): Promise<FleetHost[]> {
	const hosts = await Promise.all(entries.map(async entry => resolveHost(entry, cwd)));
	const seen = new Map<string, number>();
	return hosts.map(host => {
		const count = (seen.get(host.name) ?? 0) + 1;
		seen.set(host.name, count);
		return count === 1 ? host : {...host, name: `${host.name}#${count}`};
	});
}

async function resolveHost(entry: FleetEntry, cwd: string): Promise<FleetHost> {
	const {address} = entry;
	if (address.startsWith('ssh://')) {
		const ssh = parseSshUrl(address);
		return {name: entry.name ?? ssh.host, address, connect: async () => connectClient(ssh)};
	}

	const file = path.resolve(cwd, address);
	const found = await stat(file).catch(() => undefined);
	if (found) {
		const configuration = await loadClientConfiguration(found.isDirectory() ? {cwd: file} : {configPath: file, cwd});
		const {socket} = daemonPaths(configuration);
		return {name: entry.name ?? configuration.name, address, connect: async () => connectClient(socket)};
	}

	if (namePattern.test(address)) {
		const {socket} = daemonPaths({name: address, runDir: defaultRunDirectory(), logDir: ''});
		return {name: entry.name ?? address, address, connect: async () => connectClient(socket)};
	}

	throw new UsageError(`"${address}" is no ssh:// URL, config file, folder or daemon name`);
}
