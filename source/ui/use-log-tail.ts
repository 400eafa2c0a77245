import {useEffect, useState} from 'react';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {cleanLine} from './format-cells.js';

/** Lines kept for the log pane: enough to scroll back a few screens, bounded. */
export const logTailLines = 500;

/** The tail of a job's log while the log pane shows, asked of the handle (the daemon reads the file). */
export function useLogTail(handle: SupervisorHandle, job: string | undefined, active: boolean, interval = 1000): string[] {
	const [tail, setTail] = useState<{job: string; lines: string[]} | undefined>();
	useEffect(() => {
		if (!active || job === undefined) {
			return;
		}

		let cancelled = false;
		let timer: NodeJS.Timeout | undefined;
		const load = async () => {
			try {
				const lines = await handle.logTail(job, logTailLines);
				if (!cancelled) {
					setTail({job, lines: lines.map(line => cleanLine(line))});
				}
			} catch {
				// A log that cannot be read shows as empty; the next poll tries again.
			}

			if (!cancelled) {
				timer = setTimeout(load, interval);
			}
		};

		void load();
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [handle, job, active, interval]);
	return tail !== undefined && tail.job === job ? tail.lines : [];
}
