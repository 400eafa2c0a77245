import type {RunResult} from './job-definition.js';

/** Rates and percentiles of one job over one sliding window. Durations in milliseconds. */
export type WindowStatistics = {
	/** '1m', '15m' or '1h'. */
	window: string;
	runs: number;
	perMinute: number;
	done: number;
	more: number;
	errors: number;
	stopped: number;
	durationP50: number | null;
	durationP95: number | null;
	durationMax: number | null;
	/** Milliseconds of the window the job spent held (no new run could start). */
	heldFor: number;
};

const bucketSpan = 10_000;
const windows: ReadonlyArray<[string, number]> = [['1m', 60_000], ['15m', 900_000], ['1h', 3_600_000]];
const longest = 3_600_000;
/** Durations kept per 10-second bucket for percentiles: a uniform sample (reservoir) beyond this. */
const samplesPerBucket = 256;

/** `seen` counts the runs that ended, `timed` those that started (a duration): a command not found has none. */
type Bucket = {start: number; done: number; more: number; errors: number; stopped: number; seen: number; timed: number; max: number; samples: number[]};

/**
 * A job's runs of the last hour in 10-second buckets: adding a run is O(1), and a window's figures cost O(its
 * buckets + samples), whatever the number of runs — 10,000 runs an hour keep at most 360 × 256 durations. A window
 * covers its span to within one bucket (10 s), and the percentiles come from a uniform sample of each bucket.
 */
export class JobStatistics {
	private readonly buckets: Bucket[] = [];
	private readonly holds: Array<{from: number; to?: number}> = [];
	private random = 1;
	private cached?: {at: number; figures: WindowStatistics[]};

	/** `duration` undefined: the run never started (not found, not executable), counted but not timed. */
	ended(result: RunResult, duration: number | undefined, at: number): void {
		const bucket = this.bucketAt(at);
		const counter = result === 'error' ? 'errors' : result;
		bucket[counter]++;
		bucket.seen++;
		if (duration === undefined) {
			return;
		}

		bucket.timed++;
		bucket.max = Math.max(bucket.max, duration);
		if (bucket.samples.length < samplesPerBucket) {
			bucket.samples.push(duration);
		} else {
			const slot = this.nextRandom() % bucket.timed;
			if (slot < samplesPerBucket) {
				bucket.samples[slot] = duration;
			}
		}
	}

	held(at: number): void {
		this.holds.push({from: at});
	}

	released(at: number): void {
		const last = this.holds.at(-1);
		if (last && last.to === undefined) {
			last.to = at;
		}
	}

	/**
	 * The three windows' figures. Asked again within a second (a TUI asks ten times a second), the same ones: figures
	 * at most a second old, rather than a sort of up to 92,000 durations per snapshot.
	 */
	figures(now: number): WindowStatistics[] {
		if (this.cached && now - this.cached.at < 1000 && now >= this.cached.at) {
			return this.cached.figures;
		}

		this.forgetBefore(now - longest - bucketSpan);
		const figures = windows.map(([window, span]) => {
			const from = now - span;
			const inWindow = this.buckets.filter(bucket => bucket.start + bucketSpan > from);
			const samples = inWindow.flatMap(bucket => bucket.samples).sort((first, second) => first - second);
			const count = (key: 'done' | 'more' | 'errors' | 'stopped') => inWindow.reduce((sum, bucket) => sum + bucket[key], 0);
			const runs = inWindow.reduce((sum, bucket) => sum + bucket.seen, 0);
			return {
				window,
				runs,
				perMinute: runs / (span / 60_000),
				done: count('done'),
				more: count('more'),
				errors: count('errors'),
				stopped: count('stopped'),
				durationP50: percentile(samples, 0.5),
				durationP95: percentile(samples, 0.95),
				durationMax: samples.length === 0 ? null : Math.max(...inWindow.filter(bucket => bucket.timed > 0).map(bucket => bucket.max)),
				heldFor: this.heldWithin(from, now),
			};
		});
		this.cached = {at: now, figures};
		return figures;
	}

	private heldWithin(from: number, now: number): number {
		return this.holds.reduce((sum, hold) => sum + Math.max(0, Math.min(hold.to ?? now, now) - Math.max(hold.from, from)), 0);
	}

	private bucketAt(at: number): Bucket {
		const start = Math.floor(at / bucketSpan) * bucketSpan;
		const last = this.buckets.at(-1);
		if (last && last.start === start) {
			return last;
		}

		// A clock is monotonic here; an older time (never expected) joins the newest bucket rather than reorder.
		if (last && last.start > start) {
			return last;
		}

		const bucket: Bucket = {start, done: 0, more: 0, errors: 0, stopped: 0, seen: 0, timed: 0, max: 0, samples: []};
		this.buckets.push(bucket);
		// Nobody may ask for figures (fatc run): the old buckets go as new ones come.
		this.forgetBefore(start - longest - bucketSpan);
		return bucket;
	}

	private forgetBefore(time: number): void {
		let drop = 0;
		while (drop < this.buckets.length && this.buckets[drop]!.start + bucketSpan < time) {
			drop++;
		}

		this.buckets.splice(0, drop);
		while (this.holds.length > 0 && (this.holds[0]!.to ?? Number.POSITIVE_INFINITY) < time) {
			this.holds.shift();
		}
	}

	/** A small xorshift: deterministic, so that tests and the figures repeat. */
	private nextRandom(): number {
		this.random ^= this.random << 13;
		this.random ^= this.random >>> 17;
		this.random ^= this.random << 5;
		return this.random >>> 0;
	}
}

function percentile(sorted: readonly number[], fraction: number): number | null {
	if (sorted.length === 0) {
		return null;
	}

	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
