import type {StartProbe} from '../core/sensors.js';
import type {SpawnEngine} from './spawn-engine.js';

/**
 * Probes (hold, backlog) started by the engine that starts runs: with posix_spawn a probe every 250 ms costs fatc no
 * fork of itself (child_process.spawn's did: 0.7 s → 4.3 s of fatc's CPU a minute in the trickle benchmark). stdout
 * and stderr come apart; stderr is read and dropped.
 */
export function probeStarter(engine: SpawnEngine): StartProbe {
	return probe => {
		const attempt = engine.start({
			job: 'fatc-probe',
			runId: 0,
			command: '/bin/sh',
			args: ['-c', probe.command],
			cwd: probe.cwd,
			env: {...process.env as Record<string, string>, ...probe.env},
			logFile: '/dev/null',
			errLogFile: '/dev/null',
			stopSignal: 'SIGKILL',
			stopTimeout: 0,
		});
		if ('failure' in attempt) {
			return attempt;
		}

		const [stdout, stderr] = attempt.started.pipes;
		stderr?.stream.resume();
		stderr?.stream.on('error', () => {});
		return {started: {pid: attempt.started.pid, stdout: stdout!.stream, onExit: attempt.started.onExit}};
	};
}
