import {join} from 'node:path';
import type {Configuration} from '../core/job-definition.js';

/** Where a daemon named `name` keeps its pid file, control socket, run registry and own log. */
export type DaemonPaths = {
	runDir: string;
	pidFile: string;
	socket: string;
	/** Process groups of runs under way, so a fatc started after a SIGKILL can reap them. */
	runRegistry: string;
	/** The daemon's stdout and stderr: its event lines. */
	log: string;
};

export function daemonPaths(configuration: Pick<Configuration, 'name' | 'runDir' | 'logDir'>): DaemonPaths {
	const {name, runDir, logDir} = configuration;
	return {
		runDir,
		pidFile: join(runDir, `${name}.pid`),
		socket: join(runDir, `${name}.sock`),
		runRegistry: join(runDir, `${name}.runs`),
		log: join(logDir, `${name}.daemon.log`),
	};
}
