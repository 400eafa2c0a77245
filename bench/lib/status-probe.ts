import {connectClient} from '../../source/daemon/control-client.js';
import {statusSnapshotArguments} from '../../source/daemon/protocol.js';
import type {Snapshot} from '../../source/core/snapshot.js';
import {percentile} from './statistics.js';
import {delay} from './wait.js';

/** Pause between one answer and the next question: any stall longer than this gets a question inside it, and fatc
 * is not kept busy answering. */
const pause = 200;

/** `since`: seconds from the start of its phase (the probe's start, once fatc listens; or setPhase) to the question. */
export type StatusSample = {phase: string; milliseconds: number; since: number};

export type StatusProbe = {
	/** Samples answered from now on carry this phase name; one is asked at once (a burst may be over before the next). */
	setPhase(phase: string): void;
	/** The counters of the last answer. */
	lastJob(): Snapshot['jobs'][number] | undefined;
	/** Stops asking; waits for a question still out (its time counts) and returns every sample. */
	stop(): Promise<StatusSample[]>;
};

/**
 * Asks fatc's control socket what `fatc status` asks (connect, hello, the snapshot with each job's first runs: the
 * rest counted, not listed), one question at a time,
 * and times each answer. Without the CLI's node start (~0.5 s here), which would hide fatc's own delay.
 */
export function probeStatus(socket: string): StatusProbe {
	const samples: StatusSample[] = [];
	let phase = 'starts';
	let phaseStartedAt = performance.now();
	let running = true;
	let job: Snapshot['jobs'][number] | undefined;
	const sample = async () => {
		const askedAt = performance.now();
		const since = (askedAt - phaseStartedAt) / 1000;
		try {
			job = await askStatus(socket);
			// The phase when it was answered: a question asked just before the release and held up by the ends is
			// a delay of the ends.
			samples.push({phase, milliseconds: performance.now() - askedAt, since});
		} catch {
			// Not listening (yet, or any more): not an answer, and not a delay of fatc's to count.
		}
	};

	const loop = (async () => {
		while (running) {
			await sample();
			await delay(pause);
		}
	})();
	const extra: Array<Promise<void>> = [];
	return {
		setPhase(next) {
			phase = next;
			phaseStartedAt = performance.now();
			extra.push(sample());
		},
		lastJob: () => job,
		async stop() {
			running = false;
			await Promise.all([loop, ...extra]);
			return samples;
		},
	};
}

/**
 * Max and p99 of the samples of one phase, in ms, and when the slowest was asked (seconds into the phase): a stall at
 * fatc's start-up reads differently from one in the middle of the burst.
 */
export function latencyOf(samples: readonly StatusSample[], phase: string): {count: number; maximum?: number; maximumSince?: number; p99?: number} {
	const ofPhase = samples.filter(sample => sample.phase === phase);
	const times = ofPhase.map(sample => sample.milliseconds);
	const slowest = ofPhase.reduce<StatusSample | undefined>((worst, sample) => worst === undefined || sample.milliseconds > worst.milliseconds ? sample : worst, undefined);
	return {count: times.length, maximum: slowest?.milliseconds, maximumSince: slowest?.since, p99: percentile(times, 0.99)};
}

/** One `fatc status` question, for the counters once the ends are in. */
export async function askStatus(socket: string): Promise<Snapshot['jobs'][number] | undefined> {
	const client = await connectClient(socket);
	try {
		return (await client.request('snapshot', statusSnapshotArguments) as Snapshot).jobs[0];
	} finally {
		client.close();
	}
}
