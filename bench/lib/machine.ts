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
	/**
	 * The share of the machine's CPU time that was busy in the second before the start (0–1, from /proc/stat): what
	 * the load average, a minute's decaying mean, says too late — after a burst of 10,000 runs it reads in the hundreds
	 * for a minute on an idle machine. Absent in results saved before 2026-12-05.
	 */
	busyAtStart?: number;
};

/** The busy and total clock ticks of all CPUs so far (the first line of /proc/stat), or undefined off Linux. */
function cpuTicks(): {busy: number; total: number} | undefined {
	try {
		const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
		// user nice system idle iowait irq softirq steal (guest time is counted in user already)
		const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
		return {busy: total - fields[3]! - fields[4]!, total};
	} catch {
		return undefined;
	}
}

/** The machine, and how busy it is: waits a second to measure that. */
export async function describeMachine(): Promise<Machine> {
	const before = cpuTicks();
	await new Promise(resolve => {
		setTimeout(resolve, 1000);
	});
	const after = cpuTicks();
	const busyAtStart = before && after && after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : undefined;
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
		busyAtStart,
	};
}

/** "load 1.3 at start, the CPUs 4 % busy in the second before it" (the busy share where it was measured). */
export function describeLoad(machine: Machine): string {
	const busy = machine.busyAtStart === undefined ? '' : `, the CPUs ${Math.round(machine.busyAtStart * 100)} % busy in the second before it`;
	return `load ${machine.loadAtStart.toFixed(1)} at start${busy}`;
}

export function machineLine(machine: Machine): string {
	return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Linux ${machine.kernel}, `
		+ `Node ${machine.node}, ${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${describeLoad(machine)}`;
}
