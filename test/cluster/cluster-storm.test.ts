import {test} from 'node:test';
import {clusterStorm} from '../helpers/cluster-storm.js';

/* A short cluster storm (test/helpers/cluster-storm.ts; the long one is in the reliability suite). */

test('a short cluster storm: scale, restart, SIGKILL, Redis restart, one daemon cut off; never more than 2 at once', async t => {
	const {runs, log} = await clusterStorm(t, {seed: 7, seconds: 20});
	t.diagnostic(`${runs} runs; ${log.join(', ')}`);
});
