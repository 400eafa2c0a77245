import type {HoldSettings} from './job-definition.js';
import type {Reading} from './sensors.js';
import type {HoldSource, WorldState} from './world-state.js';

/**
 * Hold (SPEC §6): no new run starts while the machine is overloaded or a probe says so; runs under way finish.
 * With hysteresis, so it does not flap: a load hold starts above `load` and ends at or below `release` (per CPU);
 * either cause must then stay clear for `releaseAfter` before the hold ends. A probe that fails (cannot start, times
 * out, exits other than 0 or 1) keeps its last answer, and fatc says so once: a probe that times out because the
 * machine is overloaded must not release the hold, and one flaky answer must not make it flap. A probe that never
 * answered holds nothing.
 */
function settle(source: HoldSource, holds: boolean, clear: boolean, releaseAfter: number, now: number): HoldSource {
	if (holds) {
		return {...source, held: true, clearSince: undefined, failed: undefined};
	}

	if (!source.held || !clear) {
		return {...source, clearSince: undefined, failed: undefined};
	}

	const clearSince = source.clearSince ?? now;
	return now - clearSince >= releaseAfter
		? {...source, held: false, clearSince: undefined, failed: undefined}
		: {...source, clearSince, failed: undefined};
}

export function readLoad(hold: HoldSettings, source: HoldSource, reading: Extract<Reading, {kind: 'load'}>, now: number): HoldSource {
	const perCpu = reading.average / Math.max(1, reading.cpus);
	const mark = hold.load ?? Number.POSITIVE_INFINITY;
	const settled = settle(source, perCpu > mark, perCpu <= (hold.release ?? mark), hold.releaseAfter, now);
	return {...settled, perCpu};
}

export function readHoldProbe(hold: HoldSettings, source: HoldSource, reading: Extract<Reading, {kind: 'probe'}>, now: number): HoldSource {
	if (reading.code === 0 || reading.code === 1) {
		return settle(source, reading.code === 0, true, hold.releaseAfter, now);
	}

	return {...source, failed: reading.error ?? `exit status ${reading.code ?? 'unknown'} (0 = hold, 1 = go on)`};
}

const twoDigits = (value: number) => value.toFixed(2).replace(/\.?0+$/, '');

/** Why the job is held, for people ("load 2.6/cpu > 2"), or undefined when it is not. */
export function holdReason(hold: HoldSettings | undefined, world: WorldState): string | undefined {
	const reasons: string[] = [];
	if (world.load.held) {
		reasons.push(`load ${twoDigits(world.load.perCpu ?? 0)}/cpu > ${twoDigits(hold?.load ?? 0)}`);
	}

	if (world.probe.held) {
		reasons.push('hold probe said so');
	}

	return reasons.length > 0 ? reasons.join(', ') : undefined;
}
