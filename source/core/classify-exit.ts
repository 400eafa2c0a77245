import type {RunExit} from './process-driver.js';
import type {JobDefinition, RunResult} from './job-definition.js';
import type {RunRecord} from './job-state.js';

/**
 * How a run's end reads (SPEC §1): a timeout kill is an `error`; any other stop by fatc is `stopped`;
 * otherwise the job's exit codes decide, and a failed spawn or a death by signal is an `error`.
 */
export function classifyExit(definition: JobDefinition, run: Pick<RunRecord, 'stopReason'>, exit: RunExit): RunResult {
	if (run.stopReason === 'timeout') {
		return 'error';
	}

	if (run.stopReason !== undefined) {
		return 'stopped';
	}

	if (exit.spawnError !== undefined || exit.code === null) {
		return 'error';
	}

	if (definition.exitCodes.done.includes(exit.code)) {
		return 'done';
	}

	if (definition.exitCodes.more.includes(exit.code)) {
		return 'more';
	}

	return 'error';
}
