/** A binary min-heap: push and pop in O(log n), the least item first by `before`. */
export class MinHeap<Item> {
	private readonly items: Item[] = [];

	constructor(private readonly before: (first: Item, second: Item) => boolean) {}

	get size(): number {
		return this.items.length;
	}

	peek(): Item | undefined {
		return this.items[0];
	}

	push(item: Item): void {
		const {items} = this;
		let index = items.push(item) - 1;
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (!this.before(item, items[parent]!)) {
				break;
			}

			items[index] = items[parent]!;
			index = parent;
		}

		items[index] = item;
	}

	pop(): Item | undefined {
		const {items} = this;
		const top = items[0];
		const last = items.pop();
		if (items.length === 0 || last === undefined) {
			return top;
		}

		let index = 0;
		for (;;) {
			const left = index * 2 + 1;
			if (left >= items.length) {
				break;
			}

			const right = left + 1;
			const child = right < items.length && this.before(items[right]!, items[left]!) ? right : left;
			if (!this.before(items[child]!, last)) {
				break;
			}

			items[index] = items[child]!;
			index = child;
		}

		items[index] = last;
		return top;
	}

	clear(): void {
		this.items.length = 0;
	}
}
