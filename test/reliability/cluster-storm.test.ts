import {test} from 'node:test';
import {clusterStorm} from '../helpers/cluster-storm.js';

/* The long cluster storm (test/helpers/cluster-storm.ts): FATC_CLUSTER_STORM_SEEDS=1-3 for more seeds. */

const [first, last] = (process.env['FATC_CLUSTER_STORM_SEEDS'] ?? '1-2').split('-').map(Number);
for (let seed = first!; seed <= (last ?? first!); seed++) {
	test(`cluster storm, seed ${seed}: never more than 2 runs at once across three daemons`, async t => {
		const {runs, log} = await clusterStorm(t, {seed, seconds: 90});
		t.diagnostic(`${runs} runs; ${log.join(', ')}`);
	});
}
