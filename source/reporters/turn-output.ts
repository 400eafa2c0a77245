type Output = {write(text: string): unknown};

/**
 * Lines written during one callback of the event loop (a reaping turn, a pipe's read, a timer) go out in one write,
 * just after it (a microtask): the event lines (Node writes process.stdout to a file, and to a pipe while it has room,
 * at once: one system call a line) and the run registry's. With 10,000 runs ending at once, a reaping turn reports
 * hundreds of ends, and 10,000 writes cost fatc half a second of the CPU the runs' exits wait for. The lines are late
 * by no more than the callback (a reaping turn: ≤ 10 ms), in the same order, so they are out before fatc answers
 * anything else; flush() writes them at once, and what is pending when the process exits is written then.
 */
export function turnOutput(output: Output): Output & {flush(): void} {
	let pending = '';
	const flush = () => {
		if (pending !== '') {
			const text = pending;
			pending = '';
			output.write(text);
		}
	};

	process.once('exit', flush);
	return {
		write(text) {
			if (pending === '') {
				queueMicrotask(flush);
			}

			pending += text;
			return true;
		},
		flush,
	};
}
