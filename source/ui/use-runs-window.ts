import {useEffect} from 'react';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import type {RunsWindow} from './runs-page.js';

/** A handle that sends only the runs it is asked for (the daemon's, over its socket); resolves once they are in. */
type PagingHandle = SupervisorHandle & {showRuns(window: RunsWindow): Promise<void>};

function isPaging(handle: SupervisorHandle): handle is PagingHandle {
	return typeof (handle as Partial<PagingHandle>).showRuns === 'function';
}

/**
 * Tells a paging handle which runs the runs table needs, whenever the selection or the terminal's size moves them,
 * and asks for a fresh view once they arrived. A handle with every run in its snapshot is told nothing.
 */
export function useRunsWindow(handle: SupervisorHandle, window: RunsWindow | undefined, refresh: () => void): void {
	const {job, offset, limit} = window ?? {};
	useEffect(() => {
		if (!isPaging(handle) || job === undefined || offset === undefined || limit === undefined) {
			return;
		}

		let current = true;
		handle.showRuns({job, offset, limit}).then(
			() => {
				if (current) {
					refresh();
				}
			},
			() => {
				// The connection is going: the TUI ends with it.
			},
		);
		return () => {
			current = false;
		};
	}, [handle, job, offset, limit, refresh]);
}
