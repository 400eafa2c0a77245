/**
 * What `instances` may have been at any moment, as the test drives it: a change is sent at one moment and confirmed
 * at a later one, and between the two either value may be in effect.
 */
export class InstancesTimeline {
	private readonly segments: Array<{value: number; from: number; to: number}>;

	constructor(initial: number) {
		this.segments = [{value: initial, from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY}];
	}

	get current(): number {
		return this.segments.at(-1)!.value;
	}

	/** `value` from `sent` on; the previous one until `confirmed`. Times in milliseconds. */
	change(value: number, sent: number, confirmed: number): void {
		this.segments.at(-1)!.to = confirmed;
		this.segments.push({value, from: sent, to: Number.POSITIVE_INFINITY});
	}

	/** The largest value that may have been in effect at some moment in [from, to]. */
	largestBetween(from: number, to: number): number {
		return Math.max(...this.segments.filter(segment => segment.from <= to && segment.to >= from).map(segment => segment.value));
	}
}
