import {readFileSync} from 'node:fs';
import type {TestContext} from 'node:test';
import type {Reading} from '../../source/core/sensors.js';
import type {SensorWatcher} from '../../source/world/sensor-watcher.js';
import {onCleanup} from '../helpers/cleanup.js';

/** A listener that keeps every reading it gets. */
export function collect<R extends Reading = Reading>(): {readings: R[]; listener: (reading: R) => void} {
	const readings: R[] = [];
	return {readings, listener: reading => readings.push(reading)};
}

/** Stops the watcher when the test ends, whatever happened (before its temporary folder is removed). */
export function stopAfter<W extends SensorWatcher>(t: TestContext, watcher: W): W {
	onCleanup(t, async () => watcher.stop());
	return watcher;
}

/** True once no process is left in group `pgid`: kill(-pgid, 0) throws ESRCH (a zombie not yet reaped still counts). */
export function groupGone(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

/** The non-empty lines of `path`; none while it does not exist. */
export function readLines(path: string): string[] {
	try {
		return readFileSync(path, 'utf8').split('\n').filter(line => line !== '');
	} catch {
		return [];
	}
}

/** A probe spec run in `cwd`: every 10 ms and a timeout of 10 s unless given. */
export function probeSpec(cwd: string, command: string, extra: {every?: number; timeout?: number; env?: Record<string, string>} = {}) {
	return {kind: 'probe' as const, command, cwd, env: extra.env ?? {}, every: extra.every ?? 10, timeout: extra.timeout ?? 10_000};
}
