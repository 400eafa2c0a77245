import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import type {TestContext} from 'node:test';
import {onCleanup} from './cleanup.js';
import {cliPath, runCli} from './cli.js';
import {temporaryFolder, writeIn} from './temporary-folder.js';
import {waitFor} from './wait-for.js';

/**
 * A tmux server of its own (-L, a random name unless given), without the user's config, so a test sees exactly what
 * fatc draws. `screen` and `keys` act on session `fatc` unless told another.
 */
export function tmuxServer(name = `fatc-test-${randomBytes(4).toString('hex')}`) {
	const run = (...args: string[]) => execFileSync('tmux', ['-L', name, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	const screen = (session = 'fatc') => run('capture-pane', '-p', '-t', session);
	return {
		name,
		run,
		screen,
		keys: (...keys: string[]) => run('send-keys', '-t', 'fatc', ...keys),
		/** Waits until `condition` holds on the screen of session `fatc` (20 s), and returns that screen. */
		async waitForScreen(condition: (text: string) => boolean, description: string) {
			await waitFor(() => condition(screen()), description, 20_000, () => `the screen:\n${screen()}`);
			return screen();
		},
	};
}

/**
 * `config` in a temporary folder, its daemon started, and `fatc attach` in a `columns`×`rows` tmux pane (session
 * `fatc`; `environment`, e.g. "LANG=C.UTF-8", goes before the command). The server and the daemon go when the test ends.
 */
export async function attachedTmux(t: TestContext, options: {config: string; columns: number; rows: number; environment?: string}) {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', options.config);
	const tmux = tmuxServer();
	onCleanup(t, async () => {
		tmux.run('kill-server');
		await runCli(['stop'], {cwd: folder});
	});
	assert.equal((await runCli(['--detach'], {cwd: folder})).code, 0);
	const command = `${options.environment ? `${options.environment} ` : ''}${process.execPath} ${cliPath} attach; exec sleep 600`;
	tmux.run('new-session', '-d', '-s', 'fatc', '-x', String(options.columns), '-y', String(options.rows), '-c', folder, command);
	return {folder, ...tmux};
}
