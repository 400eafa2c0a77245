import {readFileSync} from 'node:fs';
import os from 'node:os';

export type Machine = {
	cores: number;
	cpuModel: string;
	memoryGiB: number;
	node: string;
	kernel: string;
	date: string;
	/** 1-minute load average when the benchmark started: other work on the machine makes every figure noisy. */
	loadAtStart: number;
};

export function describeMachine(): Machine {
	let cpuModel = os.cpus()[0]?.model ?? 'unknown';
	try {
		cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
	} catch {
		// Not Linux: keep what os.cpus() said.
	}

	return {
		cores: os.availableParallelism(),
		cpuModel: cpuModel.trim(),
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		kernel: os.release(),
		date: new Date().toISOString(),
		loadAtStart: os.loadavg()[0] ?? 0,
	};
}

export function machineLine(machine: Machine): string {
	return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Linux ${machine.kernel}, `
		+ `Node ${machine.node}, ${machine.date.slice(0, 16).replace('T', ' ')} UTC, load ${machine.loadAtStart.toFixed(1)} at start`;
}
