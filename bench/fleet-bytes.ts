/**
 * Fleet view benchmark (not a test): `NODE_ENV=production node --import tsx bench/fleet-bytes.ts [SECONDS]` after
 * `npm run build` (the daemons run from dist/).
 *
 * Two daemons (two names, two folders), each with 50 `sh` runs that print a line, sleep 0.5 s and exit 64 to run
 * again. Then, SECONDS each (default 30):
 * 1. the fleet view (FleetApp, the job's hosts shown) on an 80×24 terminal through the same screen writer as
 *    `fatc fleet`: bytes on each host's connection (daemon → view, what `ssh … fatc proxy` carries before ssh's own
 *    framing) and bytes written to the terminal;
 * 2. for comparison, the single-daemon TUI (App) attached to one of them, the same two figures.
 * A connection's bytes are counted as the daemon wrote them: each message it sent, serialised again (the same JSON).
 */
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {render} from 'ink';
import {createElement, type ReactElement} from 'react';
import {connectClient, type ControlClient} from '../source/daemon/control-client.js';
import {connectFleet} from '../source/daemon/fleet-connections.js';
import {createRemoteHandle} from '../source/daemon/remote-handle.js';
import {App} from '../source/ui/app.js';
import {FleetApp} from '../source/ui/fleet-app.js';
import {createScreenWriter} from '../source/ui/screen-writer.js';
import {FakeKeyboard, FakeTerminal} from './lib/fake-terminal.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const churnCommand = 'echo "step $FATC_RUN of slot $FATC_SLOT"; echo >> ../starts; sleep 0.5; exit 64';
const capabilities = {unicode: true, color: true};

/** A control client whose incoming bytes are counted in `counter.bytes`. */
async function countedClient(socket: string, counter: {bytes: number}): Promise<ControlClient> {
	const client = await connectClient(socket);
	client.onMessage(message => {
		counter.bytes += Buffer.byteLength(JSON.stringify(message)) + 1;
	});
	return client;
}

function startDaemon(folder: string, name: string): string {
	mkdirSync(join(folder, name));
	const config = join(folder, name, '.fatcontrollerrc');
	writeFileSync(config, `name: ${name}\nrunDir: ./run\njobs:\n  churn:\n    command: sh\n    args: [-c, '${churnCommand}']\n    model: independent\n    instances: 50\n`);
	const started = spawnSync(process.execPath, [cli, '--detach'], {cwd: join(folder, name), encoding: 'utf8'});
	if (started.status !== 0) {
		throw new Error(`fatc --detach: ${started.stderr}`);
	}

	return join(folder, name, 'run', `${name}.sock`);
}

const sleep = async (milliseconds: number) => new Promise(resolve => setTimeout(resolve, milliseconds));

/** Renders `element` on an 80×24 fake terminal through the screen writer for `seconds`; the terminal's bytes. */
async function onTerminal(element: (keyboard: FakeKeyboard) => ReactElement, seconds: number, keys: string[] = []): Promise<{bytes: number; frames: number}> {
	const terminal = new FakeTerminal();
	const keyboard = new FakeKeyboard();
	const screen = createScreenWriter(terminal as unknown as NodeJS.WriteStream, {maxFps: 10, input: keyboard as unknown as NodeJS.ReadStream});
	const instance = render(element(keyboard), {stdout: screen.stream, stdin: keyboard as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
	await sleep(2000);
	for (const key of keys) {
		keyboard.press(key);
	}

	await sleep(1000);
	const bytes = terminal.bytes;
	const frames = screen.framesWritten();
	await sleep(seconds * 1000);
	const result = {bytes: terminal.bytes - bytes, frames: screen.framesWritten() - frames};
	instance.unmount();
	screen.close();
	return result;
}

const seconds = Number(process.argv[2] ?? 30);
const folder = mkdtempSync(join(tmpdir(), 'fatc-bench-fleet-'));
writeFileSync(join(folder, 'starts'), '');
const starts = () => readFileSync(join(folder, 'starts'), 'utf8').length;
const stopDaemons = () => {
	for (const name of ['bench-a', 'bench-b']) {
		spawnSync(process.execPath, [cli, 'stop'], {cwd: join(folder, name)});
	}

	rmSync(folder, {recursive: true, force: true});
};

// Ctrl-C or a timeout's SIGTERM skips `finally`: the two daemons (100 runs churning) would run on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		stopDaemons();
		process.exit(130);
	});
}

try {
	const sockets = [startDaemon(folder, 'bench-a'), startDaemon(folder, 'bench-b')];
	await sleep(4000); // the 100 runs going
	const counters = sockets.map(() => ({bytes: 0}));
	const fleet = connectFleet(sockets.map((socket, index) => ({name: `bench-${'ab'[index]}`, address: socket, connect: async () => countedClient(socket, counters[index]!)})));
	await sleep(500);
	const startsBefore = starts();
	const wireBefore = counters.map(counter => counter.bytes);
	const fleetScreen = await onTerminal(() => createElement(FleetApp, {fleet, capabilities, size: {columns: 80, rows: 24}}), seconds, ['\r']);
	const fleetWire = counters.map((counter, index) => (counter.bytes - wireBefore[index]!) / (seconds + 3));
	const fleetRate = (starts() - startsBefore) / (seconds + 3);
	fleet.close();
	console.log(`fleet view, 2 hosts x 50 runs churning (${fleetRate.toFixed(0)} run starts/s in all), ${seconds} s at 80x24:`);
	console.log(`  wire: ${fleetWire.map(rate => `${rate.toFixed(0)} B/s`).join(' + ')} = ${(fleetWire.reduce((sum, rate) => sum + rate, 0) / 1024).toFixed(1)} KiB/s from the daemons`);
	console.log(`  terminal: ${(fleetScreen.bytes / seconds).toFixed(0)} B/s, ${(fleetScreen.frames / seconds).toFixed(1)} frames/s, ${(fleetScreen.bytes / Math.max(1, fleetScreen.frames)).toFixed(0)} bytes/frame`);

	const single = {bytes: 0};
	const handle = await createRemoteHandle(await countedClient(sockets[0]!, single));
	const singleBefore = single.bytes;
	const singleStarts = starts();
	const tuiScreen = await onTerminal(() => createElement(App, {handle, capabilities, size: {columns: 80, rows: 24}}), seconds);
	const singleRate = (starts() - singleStarts) / (seconds + 3);
	handle.close();
	console.log(`single-daemon TUI attached to one of them (${singleRate.toFixed(0)} run starts/s on both), ${seconds} s at 80x24:`);
	console.log(`  wire: ${((single.bytes - singleBefore) / (seconds + 3)).toFixed(0)} B/s from the daemon`);
	console.log(`  terminal: ${(tuiScreen.bytes / seconds).toFixed(0)} B/s, ${(tuiScreen.frames / seconds).toFixed(1)} frames/s, ${(tuiScreen.bytes / Math.max(1, tuiScreen.frames)).toFixed(0)} bytes/frame`);
} finally {
	stopDaemons();
}
