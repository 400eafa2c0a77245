import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {test} from 'node:test';
import {posixEngineUnavailable} from '../../source/driver/choose-spawn-engine.js';
import {killOnCleanup, startCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {readText} from './helpers.js';

const namespace = ['unshare', '--pid', '--fork', '--mount-proc'];
const unavailable = posixEngineUnavailable()
	?? (spawnSync(namespace[0]!, [...namespace.slice(1), 'true']).status === 0 ? undefined : 'unshare --pid cannot make a PID namespace here');

// Orphans of every kind (one in a session of its own, one left in the run's group); each pid is watched from inside
// the namespace until its /proc entry is gone (reaped), or reported with its state after 10 s (a zombie nobody reaps).
const script = String.raw`
sh -c 'setsid sh -c "sleep 0.2" & echo $! > escaped'
(sleep 0.2 & echo $! > grouped)
for pid in $(cat escaped grouped); do
	tries=0
	while [ -e /proc/$pid ] && [ $tries -lt 200 ]; do sleep 0.05; tries=$((tries + 1)); done
	[ -e /proc/$pid ] && echo "left $pid $(grep State /proc/$pid/status)"
done
echo "checked $(cat escaped grouped | wc -l) orphans"
`;

test('fatc as PID 1 of a PID namespace reaps every orphan: no zombie is left', {skip: unavailable, timeout: 60_000}, async t => {
	const folder = temporaryFolder(t);
	const configFile = await writeIn(folder, 'fatc.json', JSON.stringify({
		name: 'pid-one',
		runDir: join(folder, 'run'),
		logDir: join(folder, 'logs'),
		jobs: {orphans: {command: 'sh', args: ['-c', script], cwd: folder}},
	}));
	const cli = startCli(['run', '--run-once', '-c', configFile], {cwd: folder, env: {FATC_SPAWN_ENGINE: 'posix'}, wrapper: namespace});
	killOnCleanup(t, cli);
	assert.equal(await cli.exited, 0, cli.output() + cli.errors());
	assert.match(cli.output(), /spawning with posix_spawn .*fatc is PID 1 and reaps every orphan/);
	assert.match(cli.output(), /orphans\[0\] run 1 ended: done \(exit 0\)/);
	assert.equal(readText(join(folder, 'logs', 'orphans.log')), 'checked 2 orphans\n');
});
