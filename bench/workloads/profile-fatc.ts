import path from 'node:path';
import {hotspots, type Hotspot} from '../lib/cpu-profile.js';
import {startFatc} from '../lib/fatc.js';
import {fileSize} from '../lib/file-size.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay} from '../lib/wait.js';
import type {WorkloadContext} from '../lib/workload.js';

export type FatcProfile = {runs: number; seconds: number; hotspots: Hotspot[]};

/**
 * fatc under `node --cpu-prof` on the restart-throughput workload (a run of its own: the profiler slows it, so
 * its figures stay out of the table). Says what holds fatc's main thread when it misses a target.
 */
export async function profileFatc(context: WorkloadContext): Promise<FatcProfile> {
	const folder = temporaryFolder('profile');
	const counter = path.join(folder, 'counter');
	const profileFolder = path.join(folder, 'profile');
	const fatc = await startFatc(folder, {
		bench: {
			command: '/bin/sh',
			args: ['-c', `printf x >> '${counter}'; exit 64`],
			model: 'independent',
			instances: 4,
			sleep: 0,
			sleepOnError: 0,
		},
	}, {nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`]});
	try {
		await delay(context.seconds * 1000);
	} finally {
		// The profile is written when fatc exits normally, after SIGTERM.
		await fatc.stop();
	}

	return {runs: fileSize(counter), seconds: context.seconds, hotspots: hotspots(profileFolder)};
}

/** One line for the notes: the functions that took most of fatc's main thread. */
export function describeProfile(profile: FatcProfile): string {
	const top = profile.hotspots.slice(0, 6).map(spot => `${spot.percent.toFixed(1)} % ${spot.name}`).join('; ');
	return `Profile of fatc (\`node --cpu-prof dist/cli.js run\`, restart-throughput workload, ${profile.seconds} s, `
		+ `${profile.runs} runs), self time of its main thread: ${top}.`;
}
