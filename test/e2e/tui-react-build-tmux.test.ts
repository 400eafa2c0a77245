// React and Ink's reconciler pick their build when first loaded, from NODE_ENV; the development one keeps data about
// every render, so a TUI open for a night grew without bound (~9 MB a second with 50 runs churning). The TUI is loaded
// lazily, after the CLI's start: this checks the build it really gets, and that its runs still see no NODE_ENV.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const config = `runDir: ./run
jobs:
  probe:
    command: sh
    args: [-c, 'echo "NODE_ENV=\${NODE_ENV-unset}"; exec sleep 300']
    stopTimeout: 5s
`;

test('fatc in tmux without NODE_ENV: the TUI runs React\'s production build, and its runs see no NODE_ENV', {skip: spawnSync('strace', ['-V']).error ? 'strace is not installed' : false}, async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const tmux = tmuxServer();
	const trace = join(folder, 'trace');
	const statusFile = join(folder, 'exit-status');
	let fatcPid: number | undefined;
	onCleanup(t, async () => {
		if (fatcPid !== undefined && isAlive(fatcPid)) {
			process.kill(fatcPid, 'SIGTERM');
		}

		tmux.run('kill-server');
	});
	// Which files fatc opens: the build evaluated is the one whose file is read (Node's own look at a CommonJS
	// module's exports reads the development file either way).
	tmux.run('new-session', '-d', '-s', 'fatc', '-x', '80', '-y', '24', '-c', folder,
		`env -u NODE_ENV strace -f -qq -e trace=openat -o ${trace} ${process.execPath} ${cliPath}; echo "exit status $?" > ${statusFile}; exec sleep 600`);
	const screen = await tmux.waitForScreen(text => text.includes('Jobs (1)') && text.includes('#1 '), 'the jobs table with the run');
	fatcPid = Number(/pid (\d+)/.exec(screen)?.[1]);
	await waitFor(() => readFileSync(join(folder, 'logs', 'probe.log'), 'utf8').includes('NODE_ENV='), 'the run to print its NODE_ENV');
	assert.equal(readFileSync(join(folder, 'logs', 'probe.log'), 'utf8').trim(), 'NODE_ENV=unset');
	const opened = readFileSync(trace, 'utf8');
	for (const file of ['react/cjs/react.production.js', 'react-reconciler/cjs/react-reconciler.production.js']) {
		assert.ok(opened.includes(`/node_modules/${file}"`), `${file} was not loaded`);
	}

	tmux.keys('q');
	await tmux.waitForScreen(text => /Stop \d+ runs? and quit\? y = yes, n = no/.test(text), 'the quit confirmation');
	tmux.keys('y');
	await waitFor(() => {
		try {
			return readFileSync(statusFile, 'utf8').trim() === 'exit status 0';
		} catch {
			return false;
		}
	}, 'fatc to exit 0');
});
