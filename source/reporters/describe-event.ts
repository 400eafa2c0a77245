import type {SupervisorEvent} from '../core/supervisor-event.js';
import {formatClockTime, formatDuration} from './format-duration.js';

const readings = {done: 'done', more: 'more', error: 'error', stopped: 'stopped'} as const;

/** One human sentence for an event, without time or job prefix. Shared by `fatc run` and the TUI's event lines. */
export function describeEvent(event: SupervisorEvent): string {
	switch (event.type) {
		case 'run-started': {
			return `run ${event.runId} started (pid ${event.pid})`;
		}

		case 'run-ended': {
			const how = event.spawnError ?? (event.signal ? `signal ${event.signal}` : `exit ${event.code}`);
			const why = event.stopReason ? `, ${event.stopReason}` : '';
			return `run ${event.runId} ended: ${readings[event.result]} (${how}${why}) after ${formatDuration(event.duration)}`;
		}

		case 'run-warning': {
			// Named as a warning also where no level shows (the TUI's event lines).
			return `warn: run ${event.runId} (pid ${event.pid}) still running after ${formatDuration(event.runTime)}`;
		}

		case 'run-stopping': {
			const verb = event.reason === 'timeout' ? 'timed out: stopping' : `stopping (${event.reason})`;
			return `run ${event.runId} (pid ${event.pid}) ${verb}`;
		}

		case 'scaled': {
			return `instances ${event.from} -> ${event.to}`;
		}

		case 'fan-out': {
			return `fan-out ${event.from} -> ${event.to}`;
		}

		case 'paused':
		case 'resumed':
		case 'restarted':
		case 'triggered': {
			return event.type;
		}

		case 'held': {
			return `held: ${event.reason} (no new run starts; runs under way finish)`;
		}

		case 'released': {
			return `hold ended after ${formatDuration(event.heldFor)}`;
		}

		case 'quiet': {
			const runs = event.instances === 0 ? 'no new run starts' : `at most ${event.instances} ${event.instances === 1 ? 'run' : 'runs'}`;
			return `quiet until ${formatClockTime(event.until)}: ${runs}`;
		}

		case 'quiet-ended': {
			return 'quiet hours ended';
		}

		case 'backlog': {
			const was = event.from === null ? '' : ` (was ${event.from})`;
			return `backlog ${event.count}: up to ${event.to} ${event.to === 1 ? 'run' : 'runs'}${was}`;
		}

		case 'sensor-failed': {
			return `${event.sensor} probe failed, going on without it: ${event.message}`;
		}

		case 'sensor-recovered': {
			return `${event.sensor} probe answers again`;
		}

		case 'woken': {
			return 'woken: new work';
		}

		case 'back-off': {
			return event.phase === 'began'
				? `backing off ${formatDuration(event.wait)} after ${event.quickErrors} quick errors in a row (runs failing within a second wait longer each time)`
				: `back-off ended after ${event.quickErrors} quick errors: ${formatDuration(event.wait)} after an error again`;
		}

		case 'cluster-unreachable': {
			return `cluster: ${event.reason}; no new run starts until Redis is back (runs under way go on while their leases last)`;
		}

		case 'cluster-reachable': {
			return 'cluster: Redis reachable again; runs start on leases as before';
		}

		case 'cluster-local': {
			return `warn: ${event.reason}; cluster limits are this host's alone (onUnavailable: local) until fatc restarts`;
		}

		case 'tick-skipped': {
			return `tick of ${formatClockTime(event.tick)} runs on another host (cluster once)`;
		}

		case 'supervisor-started': {
			const spawning = event.spawnsWith === undefined ? '' : `, spawning with ${event.spawnsWith}`;
			return `started (pid ${event.pid}, ${event.jobs} ${event.jobs === 1 ? 'job' : 'jobs'})${spawning}`;
		}

		case 'supervisor-stopping': {
			return event.force ? 'killing every run (SIGKILL)' : 'stopping every run';
		}

		case 'supervisor-stopped': {
			return 'stopped: every run is gone';
		}

		case 'supervisor-error': {
			return `error: ${event.message}`;
		}

		case 'supervisor-warning': {
			// Named as a warning also where no level shows (the TUI's event lines), as run-warning is.
			return `warn: ${event.message}`;
		}

		case 'remembered': {
			return event.message;
		}

		case 'cluster-pause': {
			if (event.paused) {
				return `${event.target}: paused across the cluster by ${event.from}`;
			}

			return `${event.target}: cluster pause lifted${event.byHand ? '; it stays paused by hand ("fatc resume" resumes it)' : ', resumed'}`;
		}

		case 'log-resumed': {
			return `log writing resumed: ${event.file} (${event.droppedLines} ${event.droppedLines === 1 ? 'line' : 'lines'}, ${event.droppedBytes} bytes dropped meanwhile)`;
		}

		case 'config-reloaded': {
			return `config reloaded: ${event.summary}`;
		}

		case 'config-error': {
			// One line per problem in the snapshot; one event line here.
			return `config not reloaded, the running config stays: ${event.message.split('\n').join('; ')}`;
		}

		case 'config-watching': {
			return `watching ${event.file} for changes`;
		}

		case 'logs-reopened': {
			return `log files reopened (${event.signal})`;
		}

		case 'attachment': {
			const tuis = `${event.tuis} ${event.tuis === 1 ? 'TUI' : 'TUIs'} attached`;
			return event.change === 'handed-off'
				? `handed off: the TUI that started this fatc left it running (${tuis}); stop it with "fatc stop"`
				: `a TUI ${event.change} (${tuis})`;
		}
	}
}
