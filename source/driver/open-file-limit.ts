import {forgetOpenFileLimit} from './descriptor-budget.js';
import {constants, loadLibc} from './libc.js';

/**
 * Raises fatc's soft RLIMIT_NOFILE to its hard limit (as systemd and Go's runtime do): each run holds one or two
 * descriptors, and the soft default (1024) would cap fatc at a few hundred runs for no reason. Node 20 already does the
 * same at startup on Linux; this makes it certain and lets the descriptor budget read the new figure. Returns the
 * change, or undefined when there was none (already raised, or no glibc to ask: then Node's own raise stands).
 */
export function raiseOpenFileLimit(): {from: number; to: number} | undefined {
	try {
		return raise();
	} finally {
		// Whatever happened, the budget reads the limit as it now is.
		forgetOpenFileLimit();
	}
}

function raise(): {from: number; to: number} | undefined {
	const libc = loadLibc();
	if ('unavailable' in libc) {
		return undefined;
	}

	// struct rlimit: {rlim_cur, rlim_max}, two 64-bit rlim_t.
	const limit = new BigUint64Array(2);
	if (libc.getrlimit(constants.rlimitNoFile, limit) !== 0 || limit[0]! >= limit[1]!) {
		return undefined;
	}

	const from = Number(limit[0]);
	limit[0] = limit[1]!;
	if (libc.setrlimit(constants.rlimitNoFile, limit) !== 0) {
		return undefined;
	}

	return {from, to: Number(limit[1])};
}
