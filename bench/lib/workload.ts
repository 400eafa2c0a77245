import type {Programs} from './compile.js';
import type {Contender, Tool, Unavailable} from './contender.js';
import {sweep} from './processes.js';
import type {Peer, Row, Value} from './report.js';
import {percentile} from './statistics.js';

export type WorkloadContext = {
	mode: 'full' | 'smoke';
	/** How long each tool runs each timed workload, after the warm-up. */
	seconds: number;
	warmupSeconds: number;
	/**
	 * Rounds of the workloads whose figures this shared machine's noise decides from one run to the next (1 restart
	 * throughput, 2 reaction, 4 output): each tool is measured this many times, in alternated order, and its median
	 * (2: its gaps pooled) is the figure.
	 */
	rounds: number;
	/** Runs of the short soak. */
	soakRuns: number;
	/** Runs under one supervisor for the overhead figures. */
	idleRuns: number;
	/** fatc first, then the peers that could be found or installed. */
	contenders: Contender[];
	unavailable: Unavailable[];
	programs: Programs;
	/** Lines printed under the table: what a figure means, what limited it. */
	notes: string[];
	log(message: string): void;
};

export type Workload = (context: WorkloadContext) => Promise<Row[]>;

export type Outcome<T> = T | {missing: string};

/**
 * Runs `measure` once per contender (or per tool in `tools`, with the limit measured by `measureLimit`), one after the
 * other so they never compete for the 2 cores. A tool that fails gets its error as the "n/a" reason; whatever it left
 * running is killed before the next tool starts.
 */
export async function measureEach<T>(
	context: WorkloadContext,
	what: string,
	measure: (contender: Contender) => Promise<T>,
	options: MeasureOptions<T> = {},
): Promise<Map<Tool, Outcome<T>>> {
	const rounds = await measureRounds(context, what, measure, {...options, rounds: 1});
	return new Map([...rounds].map(([tool, outcome]) => [tool, isMissing(outcome) ? outcome : outcome[0]!]));
}

type MeasureOptions<T> = {tools?: readonly Tool[]; measureLimit?: () => Promise<T>};

/**
 * As measureEach, `rounds` times (default: the context's), the tools' order reversed every other round, so that none
 * is always measured first on a disk or a machine that changes as the run goes on. A tool's outcome is what each of
 * its rounds measured; it is missing only when every round failed (the first failure's reason).
 */
export async function measureRounds<T>(
	context: WorkloadContext,
	what: string,
	measure: (contender: Contender) => Promise<T>,
	options: MeasureOptions<T> & {rounds?: number} = {},
): Promise<Map<Tool, Outcome<T[]>>> {
	const measured = new Map<Tool, T[]>();
	const failures = new Map<Tool, {missing: string; count: number}>();
	const wanted = (tool: Tool) => options.tools === undefined || options.tools.includes(tool);
	const attempt = async (tool: Tool, label: string, action: () => Promise<T>) => {
		context.log(`${what}: ${tool}${label}…`);
		try {
			const value = await action();
			measured.set(tool, [...(measured.get(tool) ?? []), value]);
		} catch (error) {
			const message = (error as Error).message.split('\n')[0] ?? String(error);
			context.log(`${what}: ${tool} failed: ${message}`);
			const failure = failures.get(tool);
			failures.set(tool, {missing: failure?.missing ?? `${what} failed: ${message}`, count: (failure?.count ?? 0) + 1});
		} finally {
			const leftovers = await sweep();
			if (leftovers > 0) {
				context.log(`${what}: ${tool} left ${leftovers} processes running; killed them`);
			}
		}
	};

	const steps: Array<[Tool, () => Promise<T>]> = [];
	if (options.measureLimit !== undefined && wanted('limit')) {
		steps.push(['limit', options.measureLimit]);
	}

	for (const contender of context.contenders) {
		if (wanted(contender.tool)) {
			steps.push([contender.tool, async () => measure(contender)]);
		}
	}

	const rounds = Math.max(1, options.rounds ?? context.rounds);
	for (let round = 0; round < rounds; round++) {
		const label = rounds === 1 ? '' : ` (round ${round + 1} of ${rounds})`;
		for (const [tool, action] of round % 2 === 0 ? steps : steps.toReversed()) {
			await attempt(tool, label, action);
		}
	}

	const outcomes = new Map<Tool, Outcome<T[]>>();
	for (const [tool] of steps) {
		const values = measured.get(tool);
		const failure = failures.get(tool);
		outcomes.set(tool, values === undefined ? {missing: failure!.missing} : values);
		if (values !== undefined && failure !== undefined) {
			// Never hidden behind the other rounds' median.
			context.notes.push(`${what}: ${tool} failed in ${failure.count} of ${rounds} rounds (${failure.missing}); its figures are the other rounds'.`);
		}
	}

	for (const {tool, reason} of context.unavailable) {
		if (wanted(tool)) {
			outcomes.set(tool, {missing: reason});
		}
	}

	return outcomes;
}

/** Each tool's rounds reduced to one outcome (their median, say); a missing tool stays missing. */
export function combineRounds<T>(outcomes: Map<Tool, Outcome<T[]>>, combine: (rounds: T[]) => T): Map<Tool, Outcome<T>> {
	return new Map([...outcomes].map(([tool, outcome]) => [tool, isMissing(outcome) ? outcome : combine(outcome)]));
}

/** Each tool's figure in each round, in the order measured, for the notes: "fatc 496 / 512 / 470 (median 496)". */
export function describeRounds<T>(outcomes: Map<Tool, Outcome<T[]>>, pick: (outcome: T) => number | undefined, format: (value: number) => string): string {
	const parts: string[] = [];
	for (const [tool, outcome] of outcomes) {
		if (!isMissing(outcome)) {
			const values = outcome.map(pick).filter((value): value is number => value !== undefined && Number.isFinite(value));
			const median = percentile(values, 0.5);
			parts.push(`${tool} ${values.map(format).join(' / ')}${median === undefined || values.length < 2 ? '' : ` (median ${format(median)})`}`);
		}
	}

	return parts.join('; ');
}

export function isMissing<T>(outcome: Outcome<T> | undefined): outcome is {missing: string} {
	return typeof outcome === 'object' && outcome !== null && 'missing' in outcome;
}

/** One figure out of each tool's outcome, as a table row's fatc and peer values. */
export function figureOf<T>(
	outcomes: Map<Tool, Outcome<T>>,
	pick: (outcome: T) => number | undefined,
): {fatc: Value; peers: Partial<Record<Peer, Value>>} {
	const value = (tool: Tool): Value | undefined => {
		const outcome = outcomes.get(tool);
		if (outcome === undefined) {
			return undefined;
		}

		if (isMissing(outcome)) {
			return outcome;
		}

		return pick(outcome) ?? {missing: 'no samples'};
	};

	const peers: Partial<Record<Peer, Value>> = {};
	for (const peer of ['limit', 'supervisord', 'pm2'] as const) {
		const peerValue = value(peer);
		if (peerValue !== undefined) {
			peers[peer] = peerValue;
		}
	}

	return {fatc: value('fatc') ?? {missing: 'not measured'}, peers};
}
