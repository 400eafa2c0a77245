import type {HistoryEntry} from '../core/run-history.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {usePolled} from './use-polled.js';

/** Runs kept for the history pane: a few screens to scroll through, bounded. */
export const historyLength = 500;

/** The selected job's last ended runs, newest first, while the history pane shows (a daemon too old to answer: none). */
export function useHistory(handle: SupervisorHandle, job: string | undefined, active: boolean, interval = 1000): HistoryEntry[] {
	return usePolled(job, active, async name => handle.history({job: name, limit: historyLength}), interval) ?? [];
}
