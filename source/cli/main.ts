import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {ConfigError} from '../config/errors.js';
import {hasLegacyFlags, joinLegacyFlagValues, legacyFlagOptions} from '../config/legacy-flag-options.js';
import {AddressError, parseSshUrl, type SshAddress} from '../daemon/control-address.js';
import {isControlError, NoDaemonError} from '../daemon/control-errors.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {describeError} from '../reporters/describe-error.js';
import {helpCommand} from './help-command.js';
import {watchOutputGone} from './output-gone.js';
import {parseError} from './parse-error.js';
import {importWithProductionReact} from './production-react.js';
import type {ClientConfiguration} from './client-configuration.js';
import {configArgument} from './reach-hint.js';
import {UsageError} from './usage-error.js';
import {version} from './version.js';

/*
 * Each command's modules load when it runs (dynamic imports below): `fatc --help`, `fatc completion jobs` (every TAB)
 * and `fatc status` do not load the supervisor, the daemon, the metrics and every config loader first. Node loads
 * an ES module file in ~1 ms, and fatc with its packages is ~260 of them.
 */

const options = {
	config: {type: 'string', short: 'c'},
	json: {type: 'boolean'},
	'run-once': {type: 'boolean'},
	'test-fire': {type: 'boolean'},
	output: {type: 'string', short: 'o'},
	force: {type: 'boolean'},
	detach: {type: 'boolean', short: 'd'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	follow: {type: 'boolean', short: 'f'},
	lines: {type: 'string', short: 'n'},
	since: {type: 'string'},
	limit: {type: 'string'},
	'daemon-child': {type: 'boolean'},
	owned: {type: 'boolean'},
	fresh: {type: 'boolean'},
	'keep-on-hangup': {type: 'boolean'},
	host: {type: 'string'},
	name: {type: 'string'},
	// The app's folder or config file on the server, as an ssh:// URL's path names it (remote-command.ts).
	at: {type: 'string'},
	...legacyFlagOptions,
} as const;

const daemonCommands = new Set(['status', 'stop', 'reload', 'scale', 'restart', 'pause', 'resume', 'trigger', 'metrics']);

/** The command line → one mode. Resolves with the exit status; only this function prints errors. */
export async function main(argv: string[]): Promise<number> {
	try {
		return await runCommandLine(argv);
	} catch (error) {
		if (error instanceof ConfigError || error instanceof UsageError || error instanceof AddressError) {
			process.stderr.write(`fatc: ${error.message}\n`);
			return 2;
		}

		if (error instanceof NoDaemonError) {
			process.stderr.write(`fatc: ${error.message}${error.hinted ? '' : '; start one with "fatc --detach"'}\n`);
			return 3;
		}

		if (isControlError(error)) {
			process.stderr.write(`fatc: ${error.message}\n`);
			return error.exitStatus;
		}

		process.stderr.write(`fatc: ${describeError(error)}\n`);
		return 1;
	}
}

async function runCommandLine(argv: string[]): Promise<number> {
	const {values, positionals} = parseCommandLine(argv);
	if (values.help || positionals[0] === 'help') {
		// `fatc help --help` is help's own help.
		const topic = positionals[0] === 'help' ? positionals[1] ?? (values.help ? 'help' : undefined) : positionals[0];
		return helpCommand(topic, process.stdout);
	}

	if (values.version) {
		process.stdout.write(`${version}\n`);
		return 0;
	}

	const [command = '', ...rest] = positionals;
	if (command === 'import') {
		return importCommand(rest, values.output, values.force === true);
	}

	if (command === 'completion') {
		const {completionCommand} = await import('./completion-command.js');
		return completionCommand(rest, {configPath: values.config, output: process.stdout});
	}

	// One ssh:// address is that daemon's own TUI (as `attach --host URL`); several, or local ones, the fleet view.
	const [only] = rest;
	if (command === 'attach' && rest.length === 1 && only!.startsWith('ssh://') && values.host === undefined) {
		values.host = only;
		rest.pop();
	}

	if (command === 'fleet' || (command === 'attach' && rest.length > 0)) {
		return fleetView(command, rest);
	}

	if (command === 'cluster') {
		// Only the config's `cluster` is needed, no daemon; ioredis loads for this command alone.
		const [{clusterCommand}, {loadConfiguration}] = await Promise.all([import('./cluster-command.js'), import('../config/load-configuration.js')]);
		const configuration = await loadConfiguration({configPath: values.config, cwd: process.cwd()});
		return clusterCommand(configuration, rest, {json: values.json === true, output: process.stdout, errors: process.stderr});
	}

	const daemonCommand = daemonCommands.has(command);
	if (command === 'proxy') {
		if (rest.length > 1) {
			throw new UsageError(`unexpected argument "${rest[1]}"; usage: fatc proxy [PATH | -c FILE | --name NAME]`);
		}

		const {proxyCommand, proxySocket} = await import('./proxy-command.js');
		return proxyCommand(await proxySocket({path: rest[0], config: values.config, name: values.name}));
	}

	if (!['', 'run', 'check', 'logs', 'history', 'attach'].includes(command) && !daemonCommand) {
		throw new UsageError(`unknown command "${command}"; see fatc --help`);
	}

	if (rest.length > (command === 'history' ? 1 : 0) && !daemonCommand && command !== 'logs') {
		throw new UsageError(`unexpected argument "${rest[0]}"; see fatc --help`);
	}

	const host = hostAddress(command, values);
	if (host) {
		const {remoteCommand} = await import('./remote-command.js');
		return remoteCommand(host, command, rest, values);
	}

	const legacy = hasLegacyFlags(values) ? (await import('../config/legacy-flags.js')).configurationFromLegacyFlags(values, process.cwd()) : undefined;
	const where = values.at === undefined ? {configPath: values.config, cwd: process.cwd()} : await (await import('./proxy-command.js')).locate(values.at);
	const client = daemonCommand || command === 'history';
	const clientOptions = {json: values.json === true, since: values.since, limit: values.limit};
	if (client && !legacy && !values['daemon-child'] && !values.detach && !values.daemonise) {
		// Only the config's name and folders, no schema: `fatc status` answers sooner, and still reaches a running fatc
		// when the file is broken since (that fatc holds the error: live reload).
		const {loadClientConfiguration} = await import('./client-configuration.js');
		return clientCommand(command, rest, await loadClientConfiguration(where), clientOptions);
	}

	const {loadConfiguration} = await import('../config/load-configuration.js');
	const configuration = legacy?.configuration ?? await loadConfiguration(where);
	const configFile = configuration.configFile;
	const reloadConfiguration = legacy || !configFile ? undefined : () => loadConfiguration({configPath: configFile});
	// Forget the scales and pauses remembered from an earlier run of this config (host/keep-changes.ts).
	const fresh = values.fresh === true;
	if (values['daemon-child']) {
		const {runDaemon} = await import('../daemon/run-daemon.js');
		return runDaemon(configuration, {loadConfiguration: reloadConfiguration, owned: values.owned === true, fresh, json: values.json ? {version} : undefined});
	}

	if (values.detach || values.daemonise || legacy?.detach) {
		const {detachCommand} = await import('./detach-command.js');
		return detachCommand(configuration, {fresh, json: values.json === true, configArgument: configArgument(configuration, values.config !== undefined)});
	}

	if (client) {
		return clientCommand(command, rest, configuration, clientOptions);
	}

	if (command === 'attach') {
		if (!(process.stdin.isTTY && process.stdout.isTTY)) {
			throw new UsageError('attach needs a terminal; use "fatc status" and "fatc logs -f" from a script');
		}

		const {tuiCommand} = await importWithProductionReact(async () => import('./tui-command.js'));
		return tuiCommand(configuration, {attachOnly: true, configArgument: configArgument(configuration, values.config !== undefined)});
	}

	if (command === 'logs') {
		// -f follows until nobody reads: `| head` exited, or the ssh session of `fatc logs -f --host` ended.
		const {logsCommand} = await import('./logs-command.js');
		const gone = new AbortController();
		const unwatch = values.follow ? watchOutputGone(process.stdout, () => gone.abort()) : undefined;
		try {
			return await logsCommand(configuration, {job: rest[0], follow: values.follow === true, lines: lineCount(values.lines), output: process.stdout, signal: gone.signal});
		} finally {
			unwatch?.();
		}
	}

	if (command === 'check' || values['test-fire'] || legacy?.testFire) {
		const {checkCommand} = await import('./check-command.js');
		return checkCommand(configuration, {testFire: values['test-fire'] === true || legacy?.testFire === true, output: process.stdout});
	}

	// `fatc` (or `fatc -c FILE`) on a terminal is the TUI; piped, under systemd or with --run-once it runs headless.
	const interactive = process.stdin.isTTY && process.stdout.isTTY;
	if (command === '' && interactive && !legacy && !values['run-once'] && !values.json) {
		// Ink, React and yoga load only for the TUI: a headless fatc stays small, and forks (one per run) stay cheap.
		const {tuiCommand} = await importWithProductionReact(async () => import('./tui-command.js'));
		return tuiCommand(configuration, {fresh, configArgument: configArgument(configuration, values.config !== undefined)});
	}

	const {runCommand} = await import('./run-command.js');
	return runCommand(configuration, {
		json: values.json === true,
		runOnce: values['run-once'] === true || legacy?.runOnce === true,
		pidFile: legacy?.pidFile,
		loadConfiguration: reloadConfiguration,
		fresh,
		keepOnHangUp: values['keep-on-hangup'] === true,
	});
}

/** A command to a running fatc (status, scale, metrics…) or its history, which needs only where that fatc is. */
async function clientCommand(command: string, rest: string[], configuration: ClientConfiguration, options: {json: boolean; since?: string; limit?: string}): Promise<number> {
	if (command === 'metrics') {
		const {metricsCommand} = await import('./metrics-command.js');
		return metricsCommand(daemonPaths(configuration).socket, rest, process.stdout);
	}

	if (command === 'history') {
		const {historyCommand} = await import('./history-command.js');
		return historyCommand(configuration, {...options, job: rest[0], output: process.stdout, errors: process.stderr});
	}

	const {daemonCommand: runDaemonCommand} = await import('./daemon-commands.js');
	return runDaemonCommand(daemonPaths(configuration).socket, command, rest, {json: options.json, output: process.stdout});
}

/**
 * `--host URL`, else FATC_HOST (empty: this machine): the server a client command acts on, through ssh. FATC_HOST
 * leaves the other commands (the TUI, run, check) on this machine; --host with one of them is a usage error.
 */
function hostAddress(command: string, values: {host?: string; config?: string}): SshAddress | undefined {
	const client = daemonCommands.has(command) || ['logs', 'history', 'attach'].includes(command);
	if (values.host !== undefined && !client) {
		throw new UsageError(`--host is for the client commands (status, scale, pause, resume, restart, trigger, reload, stop, metrics, logs, history, attach), not for "fatc${command ? ` ${command}` : ''}"`);
	}

	const url = values.host ?? (client ? process.env['FATC_HOST'] : undefined);
	if (!url) {
		return undefined;
	}

	if (values.config !== undefined) {
		throw new UsageError(`-c names a config on this machine; for the server, put the app's folder or config in the URL: ssh://host/path/to/app (${values.host === undefined ? 'FATC_HOST' : '--host'} is ${url})`);
	}

	return parseSshUrl(url);
}

/** `fatc attach ADDRESS…` or `fatc fleet [-f] FILE` (default ./fleet.yaml): the fleet view (fleet-command.tsx). */
async function fleetView(command: string, rest: string[]): Promise<number> {
	if (command === 'fleet' && rest.length > 1) {
		throw new UsageError(`unexpected argument "${rest[1]}"; usage: fatc fleet -f FILE`);
	}

	const file = path.resolve(rest[0] ?? 'fleet.yaml');
	const entries = command === 'fleet' ? await (await import('../config/fleet-file.js')).loadFleetFile(file) : rest.map(address => ({address}));
	if (!(process.stdin.isTTY && process.stdout.isTTY)) {
		throw new UsageError(`${command} needs a terminal; use "fatc status --host URL --json" from a script`);
	}

	const {fleetCommand} = await importWithProductionReact(async () => import('./fleet-command.js'));
	// A fleet file's paths are relative to its folder.
	return fleetCommand(entries, command === 'fleet' ? path.dirname(file) : process.cwd());
}

function lineCount(value: string | undefined): number {
	const lines = Number(value ?? 20);
	if (!Number.isInteger(lines) || lines < 0) {
		throw new UsageError(`-n: expected a number of lines, got "${value}"`);
	}

	return lines;
}

function parseCommandLine(argv: string[]) {
	const args = joinLegacyFlagValues(argv);
	try {
		return parseArgs({args, options, allowPositionals: true, strict: true});
	} catch (error) {
		throw parseError(error, args, Object.keys(options).filter(name => !['daemon-child', 'owned', 'at'].includes(name)));
	}
}

async function importCommand(files: string[], output: string | undefined, force: boolean): Promise<number> {
	const [file] = files;
	if (!file || files.length > 1) {
		throw new UsageError('import takes one file: fatc import FILE [-o .fatcontrollerrc]');
	}

	const {importLegacyConfig} = await import('../config/import-legacy.js');
	const yaml = importLegacyConfig(await readFile(file, 'utf8'), file);
	if (output) {
		await writeFile(output, yaml, {flag: force ? 'w' : 'wx'}).catch((error: NodeJS.ErrnoException) => {
			throw error.code === 'EEXIST' ? new UsageError(`${output} exists; add --force to replace it`) : error;
		});
		process.stdout.write(`wrote ${output}\n`);
	} else {
		process.stdout.write(yaml);
	}

	return 0;
}
