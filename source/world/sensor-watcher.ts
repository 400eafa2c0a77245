import type {Reading} from '../core/sensors.js';

/** One running watcher of one spec (a load reader, a probe loop, a wake file), reporting to one callback. */
export type SensorWatcher = {
	/** Stops it: no report after this; resolves when nothing of it runs any more (a probe's process has exited). */
	stop(): Promise<void>;
};

/** Where a watcher sends its readings; called only between its start and its stop. */
export type Report<R extends Reading = Reading> = (reading: R) => void;

/** Errors that have no reading to travel in (an unreadable /proc/loadavg, a folder that cannot be watched). */
export type ErrorReport = (error: Error) => void;
