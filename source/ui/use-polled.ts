import {useEffect, useRef, useState} from 'react';

/**
 * Asks `load(key)` now and then every `interval` ms after each answer, while `active` and a key is set (a job's log
 * tail, its history); the answer for another key is never shown. A failed load keeps the last answer and tries again.
 */
export function usePolled<Value>(key: string | undefined, active: boolean, load: (key: string) => Promise<Value>, interval = 1000): Value | undefined {
	const [answer, setAnswer] = useState<{key: string; value: Value} | undefined>();
	// The latest load without re-polling when a caller passes a new arrow function each render.
	const loader = useRef(load);
	loader.current = load;
	useEffect(() => {
		if (!active || key === undefined) {
			return;
		}

		let cancelled = false;
		let timer: NodeJS.Timeout | undefined;
		const poll = async () => {
			try {
				const value = await loader.current(key);
				if (!cancelled) {
					setAnswer({key, value});
				}
			} catch {}

			if (!cancelled) {
				timer = setTimeout(poll, interval);
			}
		};

		void poll();
		return () => {
			cancelled = true;
			clearTimeout(timer);
		};
	}, [key, active, interval]);
	return answer !== undefined && answer.key === key ? answer.value : undefined;
}
