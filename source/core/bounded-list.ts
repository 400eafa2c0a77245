/** Keeps the last `limit` items pushed: the TUI's event lines never grow for ever. */
export class BoundedList<Item> {
	private items: Item[] = [];

	constructor(private readonly limit: number, initial: Iterable<Item> = []) {
		for (const item of initial) {
			this.push(item);
		}
	}

	push(item: Item): void {
		this.items.push(item);
		// Trim in batches: one splice per `limit` pushes instead of a shift per push.
		if (this.items.length >= this.limit * 2) {
			this.items = this.items.slice(-this.limit);
		}
	}

	/** A copy, oldest first, at most `limit` long. */
	toArray(): Item[] {
		return this.items.slice(-this.limit);
	}
}
