import {MinHeap} from './min-heap.js';
import type {RunRecord} from './run-record.js';

/**
 * The runs of one job: an array to read (in no particular order), indexed by run id and by slot, so that each event
 * costs O(1) or O(log n) in the number of runs, never O(n). It is updated in place: a JobState owns its table, and the
 * reducer's caller keeps only the newest state (a job of 10,000 runs cannot copy them on every start and end).
 */
export class RunTable extends Array<RunRecord> {
	// map(), filter() and slice() on a table give plain arrays.
	static override get [Symbol.species]() {
		return Array;
	}

	private readonly positions = new Map<number, number>();
	/** Slots a run holds → that run's id. */
	private readonly slots = new Map<number, number>();
	/** Slots that were given back, lowest first (entries may be stale, checked when read). */
	private readonly freed = new MinHeap<number>((first, second) => first < second);
	/** Free slots that rest until a time (independent model: a slot sleeps after its run): no start takes them. */
	private readonly resting = new Map<number, number>();
	private readonly restEnds = new MinHeap<{slot: number; until: number}>((first, second) => first.until < second.until);
	/** Resting slots whose run was done (not failed): new work may wake them. */
	private readonly sleeping = new Set<number>();
	/** Slots from this one up were never taken. */
	private untouched = 0;
	/** Run ids in start order; each cursor is how far one deadline rule has looked. */
	private readonly startOrder: number[] = [];
	private readonly cursors = new Map<string, number>();
	/** Every run before this index of the start order is gone. */
	private liveHead = 0;

	get(runId: number): RunRecord | undefined {
		const position = this.positions.get(runId);
		return position === undefined ? undefined : this[position];
	}

	add(run: RunRecord): void {
		if (this.positions.has(run.runId) || this.slots.has(run.slot)) {
			throw new Error(`run ${run.runId} in slot ${run.slot}: the run or its slot is taken`);
		}

		this.resting.delete(run.slot);
		this.positions.set(run.runId, this.length);
		this.push(run);
		this.slots.set(run.slot, run.runId);
		this.untouched = Math.max(this.untouched, run.slot + 1);
		this.startOrder.push(run.runId);
	}

	/** Removes a run in O(1): the last run takes its place in the array. */
	remove(runId: number): RunRecord | undefined {
		const position = this.positions.get(runId);
		if (position === undefined) {
			return undefined;
		}

		const run = this[position]!;
		const last = this.pop()!;
		if (last !== run) {
			this[position] = last;
			this.positions.set(last.runId, position);
		}

		this.positions.delete(runId);
		this.slots.delete(run.slot);
		this.freed.push(run.slot);
		this.compactFreed();
		this.compactStartOrder();
		return run;
	}

	/**
	 * `limit` runs from the `offset`-th in slot order (a TUI's page, the first 20 of `fatc status`). A small page of a
	 * large table is found by walking up the slots, not by sorting every run: with 10,000 runs ending, the table is out
	 * of slot order (remove() moves the last run into the gap) and each `fatc status` would sort it again.
	 */
	inSlotOrder(offset: number, limit: number): RunRecord[] {
		if (limit <= 0 || offset >= this.length) {
			return [];
		}

		if ((offset + limit) * 8 > this.length) {
			return [...this].sort((first, second) => first.slot - second.slot).slice(offset, offset + limit);
		}

		const runs: RunRecord[] = [];
		let passed = 0;
		for (let slot = 0; slot < this.untouched && runs.length < limit; slot++) {
			const runId = this.slots.get(slot);
			if (runId !== undefined && passed++ >= offset) {
				runs.push(this.get(runId)!);
			}
		}

		return runs;
	}

	/**
	 * Up to `count` free slots below `limit`, lowest first, not counting resting ones unless `evenResting` (a trigger
	 * runs at once). O(count · log n): the freed slots come from a heap, then slots never taken.
	 */
	freeSlots(limit: number, count: number, evenResting = false): number[] {
		const free: number[] = [];
		if (count <= 0 || limit <= 0) {
			return free;
		}

		if (evenResting && this.resting.size > 0) {
			for (let slot = 0; slot < limit && free.length < count; slot++) {
				if (!this.slots.has(slot)) {
					free.push(slot);
				}
			}

			return free;
		}

		const popped: number[] = [];
		while (free.length < count && (this.freed.peek() ?? limit) < limit) {
			const slot = this.freed.pop()!;
			// Taken meanwhile, resting (wake() puts it back), or the same slot twice: dropped for good.
			if (!this.slots.has(slot) && !this.resting.has(slot) && free.at(-1) !== slot) {
				free.push(slot);
				popped.push(slot);
			}
		}

		// A query only: what it found free goes back.
		for (const slot of popped) {
			this.freed.push(slot);
		}

		for (let slot = this.untouched; free.length < count && slot < limit; slot++) {
			if (!this.resting.has(slot)) {
				free.push(slot);
			}
		}

		return free;
	}

	/**
	 * A free slot rests until `until`: freeSlots() leaves it out until wake() passes that time. `sleeping`: its run was
	 * done, so new work (wakeSleeping) may end the rest early; a back-off after an error is never cut short.
	 */
	rest(slot: number, until: number, sleeping = false): void {
		if (sleeping) {
			this.sleeping.add(slot);
		} else {
			this.sleeping.delete(slot);
		}

		this.resting.set(slot, until);
		this.restEnds.push({slot, until});
		this.untouched = Math.max(this.untouched, slot + 1);
	}

	/** Ends every rest after a `done` at once (there is work); their stale heap entries are dropped when read. */
	wakeSleeping(): void {
		for (const slot of this.sleeping) {
			if (this.resting.delete(slot)) {
				this.freed.push(slot);
			}
		}

		this.sleeping.clear();
	}

	/** Ends the rests due by `now` (all of them without `now`); returns when the next one ends. */
	wake(now = Number.POSITIVE_INFINITY): number | undefined {
		for (let next = this.restEnds.peek(); next !== undefined; next = this.restEnds.peek()) {
			// A slot taken meanwhile (a trigger) or rested again has a stale entry here.
			const current = this.resting.get(next.slot) === next.until;
			if (current && next.until > now) {
				return next.until;
			}

			this.restEnds.pop();
			if (current) {
				this.resting.delete(next.slot);
				this.freed.push(next.slot);
			}
		}

		return undefined;
	}

	/**
	 * The oldest run (by start) that `isPast` does not rule out, for a deadline that follows start order (warnAfter and
	 * timeout are the same for every run of a job). `isPast` must stay true once true (warned, stopping): the runs
	 * before the answer are skipped for good by this `cursor`, so a burst of events costs O(1) each, amortised.
	 */
	oldest(cursor: string, isPast: (run: RunRecord) => boolean): RunRecord | undefined {
		let index = Math.max(this.cursors.get(cursor) ?? 0, this.liveHead);
		let run: RunRecord | undefined;
		for (; index < this.startOrder.length; index++) {
			run = this.get(this.startOrder[index]!);
			if (run !== undefined && !isPast(run)) {
				break;
			}

			run = undefined;
		}

		this.cursors.set(cursor, index);
		return run;
	}

	/** Forgets the runs that are gone at the front of the start order, once they are most of it. */
	private compactStartOrder(): void {
		while (this.liveHead < this.startOrder.length && !this.positions.has(this.startOrder[this.liveHead]!)) {
			this.liveHead++;
		}

		if (this.liveHead < 1024 || this.liveHead * 2 < this.startOrder.length) {
			return;
		}

		this.startOrder.splice(0, this.liveHead);
		for (const [name, index] of this.cursors) {
			this.cursors.set(name, Math.max(0, index - this.liveHead));
		}

		this.liveHead = 0;
	}

	/** Rebuilds the heap of freed slots when stale entries pile up (slots freed and taken again above the asked limit). */
	private compactFreed(): void {
		if (this.freed.size <= 2 * this.untouched + 64) {
			return;
		}

		this.freed.clear();
		for (let slot = 0; slot < this.untouched; slot++) {
			if (!this.slots.has(slot) && !this.resting.has(slot)) {
				this.freed.push(slot);
			}
		}
	}
}
