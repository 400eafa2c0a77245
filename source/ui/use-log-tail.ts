import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {cleanLine} from './format-cells.js';
import {usePolled} from './use-polled.js';

/** Lines kept for the log pane: enough to scroll back a few screens, bounded. */
export const logTailLines = 500;

/** The tail of a job's log while the log pane shows, asked of the handle (the daemon reads the file); a log that cannot be read shows as empty. */
export function useLogTail(handle: SupervisorHandle, job: string | undefined, active: boolean, interval = 1000): string[] {
	return usePolled(job, active, async name => (await handle.logTail(name, logTailLines)).map(line => cleanLine(line)), interval) ?? [];
}
