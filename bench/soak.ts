/**
 * `npm run bench:soak [-- RUNS [MAX_SECONDS]]`: 200,000 short runs under one fatc (4 independent slots of a C program exiting 64):
 * fatc's RSS at 10 % and at 100 % of them, and every run accounted for. Prints the rows, the counts and fatc's
 * memory; takes about RUNS ÷ (fatc's runs/s) seconds.
 * `npm run bench:soak -- --long-line [BYTES]`: one run writes BYTES (default 1 GB) without a newline.
 * `npm run bench:soak -- --simultaneous [RUNS]`: RUNS runs (default 10,000) end at the same moment; RUNS × 2 pipes
 * must fit fatc's open-file limit (`ulimit -Hn`).
 */
import {describeMachine, machineLine} from './lib/machine.js';
import {sweep} from './lib/processes.js';
import {renderTable} from './lib/report.js';
import {removeTemporaryFolders} from './lib/temporary.js';
import {longLine, simultaneousEnds} from './workloads/bounded-resources.js';
import {countsAgree, soak, soakRows} from './workloads/soak.js';

const mode = process.argv[2] === '--long-line' || process.argv[2] === '--simultaneous' ? process.argv.splice(2, 1)[0] : undefined;

const runs = Number(process.argv[2] ?? (mode === '--long-line' ? 1e9 : (mode === '--simultaneous' ? 10_000 : 200_000)));
const maximumSeconds = Number(process.argv[3] ?? 4 * 3600);
if (!Number.isInteger(runs) || runs < 10 || !(maximumSeconds > 0)) {
	process.stderr.write([
		'usage: npm run bench:soak [-- RUNS [MAX_SECONDS]]   (RUNS ≥ 10, default 200000; stops after MAX_SECONDS, default 4 h)',
		'       npm run bench:soak -- --long-line [BYTES]     (default 1000000000)',
		'       npm run bench:soak -- --simultaneous [RUNS]   (default 10000)',
		'',
	].join('\n'));
	process.exit(2);
}

const log = (message: string) => {
	process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

process.once('SIGINT', () => {
	void sweep().then(() => {
		removeTemporaryFolders();
		process.exit(130);
	});
});

const machine = await describeMachine();
try {
	if (mode === undefined) {
		await soakReport();
	} else {
		const lines = mode === '--long-line' ? await longLine(runs, log) : await simultaneousEnds(runs, log);
		process.stdout.write([`Machine: ${machineLine(machine)}`, '', ...lines, ''].join('\n'));
	}
} finally {
	await sweep();
	removeTemporaryFolders();
}

async function soakReport(): Promise<void> {
	const result = await soak(runs, {maximumSeconds, log});
	process.stdout.write([
		`Machine: ${machineLine(machine)}`,
		'',
		renderTable({machine, mode: 'full', rows: soakRows(result, 'soak'), notes: []}),
		'',
		`- ${result.stamped.toLocaleString('en-US')} runs in ${result.seconds.toFixed(0)} s${result.timedOut ? ' (stopped at the time limit)' : ''}; `
		+ `RSS peak ${result.residentPeakMegabytes.toFixed(1)} MB`,
		`- ${countsAgree(result).description}`,
		'',
	].join('\n'));
}
