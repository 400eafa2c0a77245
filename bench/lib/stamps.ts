import {readFileSync} from 'node:fs';

/** One run as bench/stamp.c recorded it: slot, start and end in ns of CLOCK_REALTIME. */
type Stamp = {slot: string; start: bigint; end: bigint};

function readStamps(file: string): Stamp[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	const stamps: Stamp[] = [];
	for (const line of text.split('\n')) {
		const [slot, start, end] = line.split(' ');
		if (slot !== undefined && start !== undefined && end !== undefined) {
			stamps.push({slot, start: BigInt(start), end: BigInt(end)});
		}
	}

	return stamps;
}

/**
 * Milliseconds from each run's end to the next start in the same slot: the supervisor's reaction (plus exec of
 * the stamp program, the same for every tool). Runs that started within `skipMilliseconds` of the first are a warm-up.
 */
export function gapsBetweenRuns(file: string, skipMilliseconds = 0): number[] {
	const bySlot = new Map<string, Stamp[]>();
	const stamps = readStamps(file);
	const first = stamps.reduce<bigint | undefined>((earliest, stamp) => (earliest === undefined || stamp.start < earliest ? stamp.start : earliest), undefined);
	for (const stamp of stamps) {
		const slot = bySlot.get(stamp.slot) ?? [];
		slot.push(stamp);
		bySlot.set(stamp.slot, slot);
	}

	const gaps: number[] = [];
	for (const slot of bySlot.values()) {
		slot.sort((a, b) => (a.start < b.start ? -1 : 1));
		for (let index = 1; index < slot.length; index++) {
			const previous = slot[index - 1]!;
			const next = slot[index]!;
			if (first !== undefined && Number(previous.start - first) / 1e6 < skipMilliseconds) {
				continue;
			}

			gaps.push(Number(next.start - previous.end) / 1e6);
		}
	}

	return gaps;
}
