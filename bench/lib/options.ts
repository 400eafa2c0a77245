export type BenchOptions = {
	mode: 'full' | 'smoke';
	seconds: number;
	warmupSeconds: number;
	/** Runs of the short soak inside the table. */
	soakRuns: number;
	/** Runs under one supervisor in the overhead-at-scale workload. */
	idleRuns: number;
	/** Install supervisord and PM2 when missing (never in smoke mode). */
	install: boolean;
	/** Workload numbers to run (1–6); all when empty. */
	only: number[];
	/** Write bench/results/latest.{json,md} (full mode). */
	save: boolean;
};

const usage = `usage: npm run bench [-- OPTIONS]
  --smoke           1 s per workload, fatc and the C limit only, no installs (CI)
  --seconds N       seconds each tool runs each timed workload (default 10)
  --soak-runs N     runs of the short soak (default 20000)
  --idle-runs N     runs under one supervisor for the overhead figures (default 1000)
  --only 1,3        run only these workloads (1 throughput, 2 latency, 3 overhead, 4 output, 5 soak, 6 TUI)
  --no-install      never install supervisord or PM2; print n/a instead
  --no-save         print only; leave bench/results/ alone`;

/** Reads the command line; throws with the usage for anything else. */
export function parseOptions(argv: readonly string[]): BenchOptions {
	const smoke = argv.includes('--smoke');
	const options: BenchOptions = {
		mode: smoke ? 'smoke' : 'full',
		seconds: smoke ? 1 : 10,
		warmupSeconds: smoke ? 0.25 : 1,
		soakRuns: smoke ? 100 : 20_000,
		idleRuns: smoke ? 20 : 1000,
		install: !smoke,
		only: [],
		save: !smoke,
	};
	const number = (index: number) => {
		const value = Number(argv[index + 1]);
		if (!Number.isFinite(value) || value <= 0) {
			throw new Error(`${argv[index]}: expected a positive number, got ${argv[index + 1] ?? 'nothing'}\n${usage}`);
		}

		return value;
	};

	for (let index = 0; index < argv.length; index++) {
		switch (argv[index]) {
			case '--smoke': {
				break;
			}

			case '--seconds': {
				options.seconds = number(index++);
				break;
			}

			case '--soak-runs': {
				options.soakRuns = Math.round(number(index++));
				break;
			}

			case '--idle-runs': {
				options.idleRuns = Math.round(number(index++));
				break;
			}

			case '--only': {
				options.only = (argv[++index] ?? '').split(',').map(Number).filter(Number.isInteger);
				break;
			}

			case '--no-install': {
				options.install = false;
				break;
			}

			case '--no-save': {
				options.save = false;
				break;
			}

			case '--help':
			case '-h': {
				throw new Error(usage);
			}

			default: {
				throw new Error(`unknown option ${argv[index]}\n${usage}`);
			}
		}
	}

	return options;
}
