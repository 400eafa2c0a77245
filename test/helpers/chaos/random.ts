/** A seeded generator (mulberry32): the same seed gives the same storm, so a failure can be replayed. */
export type Random = {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [low, high]. */
	integer(low: number, high: number): number;
	pick<Item>(items: readonly Item[]): Item;
	/** One of the keys, with the chance of each proportional to its weight. */
	weighted<Key extends string>(weights: Record<Key, number>): Key;
};

export function seededRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};

	const integer = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
	return {
		next,
		integer,
		pick: items => items[integer(0, items.length - 1)]!,
		weighted(weights) {
			const entries = Object.entries(weights) as Array<[keyof typeof weights, number]>;
			let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
			for (const [key, weight] of entries) {
				roll -= weight;
				if (roll < 0) {
					return key;
				}
			}

			return entries.at(-1)![0];
		},
	};
}
