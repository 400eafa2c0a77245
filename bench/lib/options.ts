export type BenchOptions = {
	mode: 'full' | 'smoke';
	seconds: number;
	warmupSeconds: number;
	/** Rounds of workloads 1, 2 (its reaction to an exit) and 4, each tool alternated, the median kept (default 3; smoke 1). */
	rounds: number;
	/** Runs of the short soak inside the table. */
	soakRuns: number;
	/** Runs under one supervisor in the overhead-at-scale workload. */
	idleRuns: number;
	/** Install supervisord and PM2 when missing (never in smoke mode). */
	install: boolean;
	/** Compare with supervisord and PM2 (never in smoke mode; --no-peers: fatc and the C limit only). */
	peers: boolean;
	/** Workload numbers to run (1–6); all when empty. */
	only: number[];
	/** Write bench/results/latest.{json,md} (full mode). */
	save: boolean;
	/** Run counts of workload 7 (scale); it runs when `only` is empty in smoke mode or names 7. */
	scaleCounts: number[];
	/** How long each tool may take for each phase of one scale point. */
	scaleTimeoutSeconds: number;
	/** Seconds the trickle workload (8) inserts an e-mail every 100 ms; it runs when `only` names 8 (--trickle). */
	trickleSeconds: number;
};

const defaultScaleCounts = [1000, 2000, 4000, 10_000];

const usage = `usage: npm run bench [-- OPTIONS]
  --smoke           1 s per workload, fatc and the C limit only, no installs (CI)
  --seconds N       seconds each tool runs each timed workload (default 10)
  --rounds N        rounds of workloads 1 (restart throughput), 2 (reaction to an exit) and 4 (output), tools
                    alternated; medians kept (2: the gaps pooled) (default 3; smoke 1)
  --soak-runs N     runs of the short soak (default 20000)
  --idle-runs N     runs under one supervisor for the overhead figures (default 1000)
  --only 1,3        run only these workloads (1 throughput, 2 latency, 3 overhead, 4 output, 5 soak, 6 TUI, 7 scale,
                    8 trickle);
                    without it: 1–6 (and 7 in the smoke benchmark)
  --scale 1000,4000 run counts of workload 7 (default 1000,2000,4000,10000; smoke 50,100); alone, runs only 7;
                    saves bench/results/scale.{json,md} and media/scale-chart.svg
  --scale-timeout S seconds each tool may take to start all N, and again to take in their ends (default 300)
  --trickle         workload 8 (alone, runs only 8): a PostgreSQL table of e-mails filled one every 100 ms, drained by workers under
                    fatc (dependent; with backlog; with wake) and supervisord; saves bench/results/trickle.{json,md}
  --trickle-seconds N  seconds the trickle inserts (default 60)
  --no-install      never install supervisord or PM2; print n/a instead
  --no-peers        fatc and the C limit only (a quick check of fatc at some scale)
  --no-save         print only; leave bench/results/ alone`;

/** Reads the command line; throws with the usage for anything else. */
export function parseOptions(argv: readonly string[]): BenchOptions {
	const smoke = argv.includes('--smoke');
	const options: BenchOptions = {
		mode: smoke ? 'smoke' : 'full',
		seconds: smoke ? 1 : 10,
		warmupSeconds: smoke ? 0.25 : 1,
		rounds: smoke ? 1 : 3,
		soakRuns: smoke ? 100 : 20_000,
		idleRuns: smoke ? 20 : 1000,
		install: !smoke,
		peers: !smoke,
		only: [],
		save: !smoke,
		scaleCounts: smoke ? [50, 100] : defaultScaleCounts,
		scaleTimeoutSeconds: smoke ? 60 : 300,
		trickleSeconds: 60,
	};
	let scaleGiven = false;
	let trickleGiven = false;
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

			case '--rounds': {
				options.rounds = Math.round(number(index++));
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

			case '--scale': {
				const counts = (argv[++index] ?? '').split(',').map(Number);
				if (counts.length === 0 || counts.some(count => !Number.isInteger(count) || count < 1)) {
					throw new Error(`--scale: expected run counts such as 1000,2000,4000,10000, got ${argv[index] ?? 'nothing'}\n${usage}`);
				}

				options.scaleCounts = counts;
				scaleGiven = true;
				break;
			}

			case '--scale-timeout': {
				options.scaleTimeoutSeconds = number(index++);
				break;
			}

			case '--trickle': {
				trickleGiven = true;
				break;
			}

			case '--trickle-seconds': {
				options.trickleSeconds = number(index++);
				break;
			}

			case '--no-install': {
				options.install = false;
				break;
			}

			case '--no-peers': {
				options.peers = false;
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

	if (scaleGiven && options.only.length === 0) {
		options.only = [7];
	}

	if (trickleGiven && !options.only.includes(8)) {
		options.only = [...options.only, 8];
	}

	return options;
}
