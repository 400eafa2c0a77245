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
	private readonly slots = new Map<number, RunRecord>();
	/** Slots that were given back, lowest first (a min-heap; entries may be stale, checked when read). */
	private readonly freed: number[] = [];
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

	inSlot(slot: number): RunRecord | undefined {
		return this.slots.get(slot);
	}

	add(run: RunRecord): void {
		if (this.positions.has(run.runId) || this.slots.has(run.slot)) {
			throw new Error(`run ${run.runId} in slot ${run.slot}: the run or its slot is taken`);
		}

		this.positions.set(run.runId, this.length);
		this.push(run);
		this.slots.set(run.slot, run);
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
		pushHeap(this.freed, run.slot);
		this.compactFreed();
		this.compactStartOrder();
		return run;
	}

	/**
	 * Up to `count` free slots below `limit`, lowest first. O(count · log n): the freed slots come from a heap,
	 * then slots never taken.
	 */
	freeSlots(limit: number, count: number): number[] {
		const free: number[] = [];
		if (count <= 0 || limit <= 0) {
			return free;
		}

		const popped: number[] = [];
		while (free.length < count && this.freed.length > 0 && this.freed[0]! < limit && this.freed[0]! < this.untouched) {
			const slot = popHeap(this.freed)!;
			if (!this.slots.has(slot) && free.at(-1) !== slot) {
				free.push(slot);
				popped.push(slot);
			}
		}

		// A query only: what it looked at goes back (stale entries were taken meanwhile and are dropped for good).
		for (const slot of popped) {
			pushHeap(this.freed, slot);
		}

		for (let slot = this.untouched; free.length < count && slot < limit; slot++) {
			free.push(slot);
		}

		return free;
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
		if (this.freed.length <= 2 * this.untouched + 64) {
			return;
		}

		this.freed.length = 0;
		for (let slot = 0; slot < this.untouched; slot++) {
			if (!this.slots.has(slot)) {
				pushHeap(this.freed, slot);
			}
		}
	}
}

function pushHeap(heap: number[], value: number): void {
	heap.push(value);
	let index = heap.length - 1;
	while (index > 0) {
		const parent = (index - 1) >> 1;
		if (heap[parent]! <= value) {
			break;
		}

		heap[index] = heap[parent]!;
		index = parent;
	}

	heap[index] = value;
}

function popHeap(heap: number[]): number | undefined {
	const top = heap[0];
	const last = heap.pop();
	if (heap.length === 0 || last === undefined) {
		return top;
	}

	let index = 0;
	for (;;) {
		const left = index * 2 + 1;
		if (left >= heap.length) {
			break;
		}

		const right = left + 1;
		const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
		if (heap[child]! >= last) {
			break;
		}

		heap[index] = heap[child]!;
		index = child;
	}

	heap[index] = last;
	return top;
}
