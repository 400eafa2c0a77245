import type {Programs} from './compile.js';
import type {Contender, Tool, Unavailable} from './contender.js';
import {sweep} from './processes.js';
import type {Peer, Row, Value} from './report.js';

export type WorkloadContext = {
	mode: 'full' | 'smoke';
	/** How long each tool runs each timed workload, after the warm-up. */
	seconds: number;
	warmupSeconds: number;
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
	options: {tools?: readonly Tool[]; measureLimit?: () => Promise<T>} = {},
): Promise<Map<Tool, Outcome<T>>> {
	const outcomes = new Map<Tool, Outcome<T>>();
	const wanted = (tool: Tool) => options.tools === undefined || options.tools.includes(tool);
	const attempt = async (tool: Tool, action: () => Promise<T>) => {
		context.log(`${what}: ${tool}…`);
		try {
			outcomes.set(tool, await action());
		} catch (error) {
			const message = (error as Error).message.split('\n')[0] ?? String(error);
			context.log(`${what}: ${tool} failed: ${message}`);
			outcomes.set(tool, {missing: `${what} failed: ${message}`});
		} finally {
			const leftovers = await sweep();
			if (leftovers > 0) {
				context.log(`${what}: ${tool} left ${leftovers} processes running; killed them`);
			}
		}
	};

	if (options.measureLimit !== undefined && wanted('limit')) {
		await attempt('limit', options.measureLimit);
	}

	for (const contender of context.contenders) {
		if (wanted(contender.tool)) {
			await attempt(contender.tool, async () => measure(contender));
		}
	}

	for (const {tool, reason} of context.unavailable) {
		if (wanted(tool)) {
			outcomes.set(tool, {missing: reason});
		}
	}

	return outcomes;
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
