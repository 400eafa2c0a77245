import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdirSync, readdirSync, readFileSync} from 'node:fs';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {protocolVersion} from '../../source/daemon/protocol.js';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, killOnCleanup, runCli, startCli} from '../helpers/cli.js';
import {freePort, skipWithoutSshd, sshClientCommand, startSshd} from '../helpers/sshd.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

// One run a job, each printing a numbered line five times a second: something for logs -f to follow.
const config = `jobs:
  worker:
    command: sh
    args: ["-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]
    model: independent
    instances: 1
`;

/** One line on stderr, no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
	const lines = stderr.trimEnd().split('\n');
	assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
	assert.match(lines[0]!, pattern);
	assert.doesNotMatch(stderr, /\n\s+at /);
}

/** Processes whose command line holds every one of `words` (read from /proc, apart from the code under test). */
function processesWith(...words: string[]): number[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).filter(pid => {
		try {
			const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
			return words.every(word => commandLine.includes(word));
		} catch {
			return false;
		}
	}).map(Number);
}

test('fatc COMMAND --host ssh://…: the daemon on a server, through the system ssh and fatc proxy there', {skip: skipWithoutSshd}, async t => {
	const folder = temporaryFolder(t);
	const app = join(folder, 'app');
	// The client runs where no config is: everything it shows comes from the server.
	const away = join(folder, 'away');
	mkdirSync(away);
	await writeIn(app, '.fatcontrollerrc', config);
	await writeIn(folder, 'other/.fatcontrollerrc', `name: other\n${config}`);
	// The server's fatc (FATC_REMOTE_FATC): the built CLI with the app's runDir, as a login would have it.
	await writeIn(folder, 'bin/fatc', `#!/bin/sh\nexport XDG_RUNTIME_DIR=${app}\nexec ${process.execPath} ${cliPath} "$@"\n`);
	// A fatc of another protocol version: it answers hello with version 1.
	await writeIn(folder, 'bin/old-fatc', '#!/bin/sh\nread line\necho \'{"type":"reply","id":1,"ok":true,"value":{"version":1,"pid":1,"name":"old"}}\'\n');
	execFileSync('chmod', ['+x', join(folder, 'bin/fatc'), join(folder, 'bin/old-fatc')]);
	const port = await startSshd(t, folder);
	const server = `ssh://${userInfo().username}@127.0.0.1:${port}`;
	const url = `${server}${app}`;
	const sshEnvironment = {FATC_SSH_COMMAND: sshClientCommand(folder), FATC_REMOTE_FATC: join(folder, 'bin/fatc')};
	const remote = async (args: string[], environment: Record<string, string> = {}) => runCli(args, {cwd: away, env: {...sshEnvironment, ...environment}});
	const local = async (args: string[]) => runCli(args, {cwd: app});
	const localStatus = async () => JSON.parse((await local(['status', '--json'])).stdout) as Snapshot;
	onCleanup(t, async () => {
		await local(['stop']);
	});
	assert.equal((await local(['--detach'])).code, 0);
	const daemon = await localStatus();

	await t.test('status: the server daemon\'s table, as fatc status there shows it', async () => {
		const [there, here] = await Promise.all([remote(['status', '--host', url]), local(['status'])]);
		assert.equal(there.code, 0, there.stderr);
		assert.equal(there.stderr, '');
		const head = (text: string) => text.split('\n').slice(0, 2).join('\n').replace(/up [^,]+,/, 'up …,');
		assert.equal(head(there.stdout), head(here.stdout));
		assert.match(there.stdout, new RegExp(`pid ${daemon.pid}, .*config ${app}/\\.fatcontrollerrc`));
		assert.match(there.stdout, /^worker\s+independent/m);
	});

	await t.test('status --json through FATC_HOST', async () => {
		const there = await remote(['status', '--json'], {FATC_HOST: url});
		assert.equal(there.code, 0, there.stderr);
		const snapshot = JSON.parse(there.stdout) as Snapshot;
		assert.equal(snapshot.pid, daemon.pid);
		assert.deepEqual(snapshot.jobs.map(job => job.name), ['worker']);
	});

	await t.test('scale: steers the server\'s daemon; an unknown job is exit 2 as here', async () => {
		const scaled = await remote(['scale', 'worker', '2', '--host', url]);
		assert.equal(scaled.code, 0, scaled.stderr);
		assert.equal(scaled.stdout, 'worker: instances 2\n');
		assert.equal((await localStatus()).jobs[0]!.instances, 2);
		await waitFor(async () => (await localStatus()).jobs[0]!.workers.length === 2, 'two runs on the server', 20_000);

		const [there, here] = await Promise.all([remote(['scale', 'nope', '2', '--host', url]), local(['scale', 'nope', '2'])]);
		assert.equal(there.code, 2);
		assert.equal(there.stderr, here.stderr);
	});

	await t.test('logs -f follows the server\'s log; the fatc there ends with the session', async () => {
		const follow = startCli(['logs', 'worker', '-f', '-n', '1', '--host', url], {cwd: away, env: sshEnvironment});
		killOnCleanup(t, follow);
		const ticks = () => follow.output().split('\n').filter(line => /^tick \d+$/.test(line)).length;
		// An ssh login, its shell's start-up files and a node start on the server first: generous on a loaded machine.
		await waitFor(() => ticks() >= 1, 'the last line of the log', 60_000, () => follow.errors());
		const first = ticks();
		await waitFor(() => ticks() >= first + 5, 'new lines as the runs write them', 20_000, () => follow.output());
		const following = processesWith('logs', 'worker', '-f', '--at', app);
		assert.equal(following.length, 1, 'fatc logs -f runs on the server');

		const exit = once(follow.child, 'exit');
		follow.child.kill('SIGTERM');
		await exit;
		await waitFor(() => processesWith('logs', 'worker', '-f', '--at', app).length === 0, 'the server\'s fatc logs -f to end once nobody reads', 20_000);
	});

	await t.test('attach in a terminal: the TUI of the server\'s daemon; q leaves it running', async () => {
		const tmux = tmuxServer();
		onCleanup(t, () => tmux.run('kill-server'));
		const environment = Object.entries(sshEnvironment).map(([name, value]) => `${name}='${value}'`).join(' ');
		tmux.run('new-session', '-d', '-s', 'fatc', '-x', '100', '-y', '30', '-c', away, `env ${environment} ${process.execPath} ${cliPath} attach ${url}; exec sleep 600`);
		const ready = (text: string) => text.includes('Jobs (1)') && text.includes(`pid ${daemon.pid}`) && /#2 /.test(text);
		await waitFor(() => ready(tmux.screen()), 'the TUI with the server\'s two runs', 60_000, () => tmux.screen());
		tmux.keys('q');
		const screen = await tmux.waitForScreen(text => text.includes('is still running'), 'leaving the TUI');
		// The hint wraps at the pane's width.
		assert.ok(screen.replaceAll('\n', '').includes(`Attach again with "fatc attach --host ${url}"`), screen);
		assert.equal((await localStatus()).pid, daemon.pid);
	});

	await t.test('fatc proxy bridges stdin and stdout to the socket and ends with its input', async () => {
		const proxy = spawn(process.execPath, [cliPath, 'proxy', '--name', 'fatc'], {cwd: away, env: {...process.env, XDG_RUNTIME_DIR: app}, stdio: ['pipe', 'pipe', 'pipe']});
		let output = '';
		proxy.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
		});
		const exit = once(proxy, 'exit');
		proxy.stdin.write(`${JSON.stringify({id: 1, command: 'hello', args: [protocolVersion, false]})}\n`);
		await waitFor(() => output.includes('\n'), 'the hello reply', 20_000);
		const reply = JSON.parse(output) as {id: number; ok: boolean; value: {version: number; pid: number}};
		assert.deepEqual([reply.id, reply.ok, reply.value.version, reply.value.pid], [1, true, protocolVersion, daemon.pid]);
		proxy.stdin.end();
		assert.deepEqual(await exit, [0, null]);
	});

	await t.test('errors: one line each, with the exit status of SPEC §4', async () => {
		const noFatc = await remote(['status', '--host', url], {FATC_REMOTE_FATC: join(folder, 'bin/missing')});
		assert.equal(noFatc.code, 2);
		assertOneLine(noFatc.stderr, new RegExp(`^fatc: ${url}: no fatc on the server .*install fatc`));

		const old = await remote(['status', '--host', url], {FATC_REMOTE_FATC: join(folder, 'bin/old-fatc')});
		assert.equal(old.code, 2);
		assertOneLine(old.stderr, /protocol version 1, this fatc \d+/);

		const noDaemon = await remote(['status', '--host', `${server}${folder}/other`]);
		assert.equal(noDaemon.code, 3);
		assertOneLine(noDaemon.stderr, new RegExp(`^fatc: ${server}${folder}/other: no fatc daemon answers on .*other\\.sock; start one with "fatc --detach"$`));

		const unreachable = await remote(['status', '--host', `ssh://127.0.0.1:${await freePort()}`]);
		assert.equal(unreachable.code, 3);
		assertOneLine(unreachable.stderr, /Connection refused/);

		const badUrl = await remote(['status', '--host', 'ssh://user:secret@host']);
		assert.equal(badUrl.code, 2);
		assertOneLine(badUrl.stderr, /password/);

		const here = await runCli(['proxy'], {cwd: folder});
		assert.equal(here.code, 2, 'no config here');
		const noSocket = await runCli(['proxy', '--name', 'nothing'], {cwd: folder});
		assert.equal(noSocket.code, 3);
		assertOneLine(noSocket.stderr, /no fatc daemon answers on .*nothing\.sock/);
	});

	await t.test('stop: the server\'s daemon and its runs are gone', async () => {
		const stopped = await remote(['stop', '--host', url]);
		assert.equal(stopped.code, 0, stopped.stderr);
		assert.match(stopped.stdout, new RegExp(`pid ${daemon.pid}\\) stopped`));
		assert.equal((await local(['status'])).code, 3);
	});
});
