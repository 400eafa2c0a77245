type Koffi = typeof import('koffi');

/** One job's last environment: its entries encoded once, and the envp table of pointers to them. */
type Block = {
	keys: string[];
	values: string[];
	/** NUL-terminated "KEY=value", kept alive while the table points into them. */
	entries: Buffer[];
	table: BigUint64Array;
};

/** At most this many jobs' blocks are kept (jobs removed by reloads are forgotten when it overflows). */
const maximumBlocks = 1024;

/**
 * Builds the envp array posix_spawn takes, re-encoding only what changed since the job's last spawn: the runs of one
 * job share every variable but FATC_SLOT and FATC_RUN (spawn-request.ts builds each run's env from one base object
 * per definition), so a spawn encodes two entries, not all ~50 (koffi would otherwise convert every string per call).
 * The table is reused: posix_spawn's child has exec'd (or failed) by the time it returns, so nothing still reads it.
 */
export class EnvironmentBlocks {
	private readonly blocks = new Map<string, Block>();

	constructor(private readonly koffi: Koffi) {}

	/** The envp table for `environment` (valid until the next call for the same job); throws on a NUL in a name or value. */
	table(job: string, environment: Record<string, string>): BigUint64Array {
		const keys = Object.keys(environment);
		let block = this.blocks.get(job);
		if (block === undefined || block.keys.length !== keys.length) {
			block = {keys: [], values: [], entries: [], table: new BigUint64Array(keys.length + 1)};
			if (this.blocks.size >= maximumBlocks) {
				this.blocks.clear();
			}

			this.blocks.set(job, block);
		}

		for (const [index, key] of keys.entries()) {
			const value = environment[key]!;
			// The same base object's strings: these comparisons are pointer checks for all but the run's own variables.
			if (block.keys[index] !== key || block.values[index] !== value) {
				const entry = encode(key, value);
				block.keys[index] = key;
				block.values[index] = value;
				block.entries[index] = entry;
				block.table[index] = this.koffi.address(entry);
			}
		}

		block.table[keys.length] = 0n;
		return block.table;
	}
}

function encode(key: string, value: string): Buffer {
	const entry = `${key}=${value}`;
	if (entry.includes('\0')) {
		// As child_process.spawn refuses it: C would cut the string at the NUL.
		throw Object.assign(new TypeError(`The environment variable ${JSON.stringify(key)} holds a NUL byte`), {code: 'ERR_INVALID_ARG_VALUE'});
	}

	return Buffer.from(`${entry}\0`);
}
