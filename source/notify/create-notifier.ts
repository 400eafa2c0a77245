import {systemClock, type Clock} from '../core/clock.js';
import type {Configuration, JobDefinition} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {createEventKinds, type KindedEvent} from './event-kinds.js';
import {createFoldWindows} from './fold-window.js';
import {notifierSpec, type DescribeEvent} from './notification.js';
import {runNotifier} from './run-notifier.js';
import {createTaskQueue} from './task-queue.js';

export type NotifierOptions = {
	/** The config at start; reloads arrive through follow(). */
	configuration: Configuration;
	describe: DescribeEvent;
	/** One line for a person: a notifier that failed, notifications dropped. Never called for each failure of a storm. */
	onError(message: string): void;
	/** Times the rate-limit windows. Default: the system clock. */
	clock?: Clock;
	/** Notifiers at once, and notifications waiting for one (more are dropped and counted). Default 4 and 64. */
	limits?: {running: number; waiting: number};
};

export type Notifier = {
	/** The supervisor's listener: every event, in order. Never throws, never spawns synchronously. */
	observe(event: SupervisorEvent): void;
	/** Wraps the config loader: a config that loads applies here once the supervisor says it reloaded. */
	follow(load: (() => Promise<Configuration>) | undefined): (() => Promise<Configuration>) | undefined;
	/**
	 * Stops notifying: what waits (queued or folded) is dropped; resolves once the running notifiers are over — at
	 * their own `timeout` at the latest, at once after a forced stop (a second SIGINT kills them).
	 */
	close(): Promise<void>;
};

type Pending = {kinded: KindedEvent; definition: JobDefinition};

/**
 * Runs each job's `notify` command for the events it chose: at most one per job and kind per `every` (the rest
 * folded and counted, fold-window.ts), a few at a time, off the supervisor's path. A notifier that fails is one error
 * line, and again only once the same command has succeeded in between. Settings are the job's at the event's time.
 */
export function createNotifier(options: NotifierOptions): Notifier {
	const {describe, onError, clock = systemClock, limits = {running: 4, waiting: 64}} = options;
	let definitions = definitionsOf(options.configuration);
	let loaded: Configuration | undefined;
	let closed = false;
	const kinds = createEventKinds();
	const queue = createTaskQueue(limits);
	const force = new AbortController();
	/** Commands whose last notification failed and was told. */
	const failing = new Set<string>();
	let dropped = 0;
	const folds = createFoldWindows<Pending>(clock, (pending, folded) => {
		if (queue.push(async () => deliver(pending, folded))) {
			return;
		}

		dropped++;
		if (dropped === 1) {
			onError(`notify: ${limits.waiting} notifications wait for a free notifier; new ones are dropped until they drain`);
			// One line at the start of an overflow, one with the count once every notifier is done.
			void queue.idle().then(() => {
				onError(`notify: ${dropped} ${dropped === 1 ? 'notification was' : 'notifications were'} dropped while the queue was full`);
				dropped = 0;
			});
		}
	});

	async function deliver({kinded, definition}: Pending, folded: number) {
		const spec = notifierSpec(kinded, definition, folded, describe);
		const outcome = await runNotifier(spec, force.signal);
		if (outcome.ok) {
			failing.delete(spec.command);
		} else if (!failing.has(spec.command)) {
			failing.add(spec.command);
			onError(`notifier failed for ${kinded.event.job} (${kinded.kind}): ${outcome.reason}; not said again until it succeeds`);
		}
	}

	function observe(event: SupervisorEvent) {
		if (event.type === 'config-reloaded' && loaded !== undefined) {
			definitions = definitionsOf(loaded);
			loaded = undefined;
		} else if (event.type === 'supervisor-stopping' && event.force) {
			force.abort();
		}

		// Every event, notified or not: `recovered` needs each job's errors.
		const kinded = kinds(event);
		const definition = kinded && definitions.get(kinded.event.job);
		const settings = definition?.notify;
		if (kinded && definition && settings?.on.includes(kinded.kind)) {
			folds.offer(`${kinded.event.job}\n${kinded.kind}`, settings.every, {kinded, definition});
		}
	}

	return {
		observe(event) {
			if (closed) {
				return;
			}

			try {
				observe(event);
			} catch (error) {
				// A bug here must never reach the supervisor's emit.
				onError(`notify: ${error instanceof Error ? error.message : String(error)}`);
			}
		},
		follow(load) {
			return load && (async () => {
				loaded = await load();
				return loaded;
			});
		},
		async close() {
			closed = true;
			folds.close();
			queue.clear();
			await queue.idle();
		},
	};
}

function definitionsOf(configuration: Configuration): Map<string, JobDefinition> {
	return new Map(configuration.jobs.map(definition => [definition.name, definition]));
}
