import {maximumInstances} from '../core/job-definition.js';

/** One command's own help: what `fatc COMMAND --help` and `fatc help COMMAND` print. */
type CommandHelp = {usage: string; summary: string; options?: string[]; example: string};

const config = '-c, --config FILE   the config file (default: .fatcontrollerrc and friends, searched upwards)';
const host = '--host URL          the daemon on a server, through ssh: ssh://[user@]host[:port][/path/to/app] (or FATC_HOST)';
const onRunning = 'It asks the fatc running this config (fatc run, the TUI or the daemon) over its control socket; exit 3 when none runs.';

/** Every command, in the order `fatc --help` lists them; the completion scripts offer the same names. */
export const commandHelp: Record<string, CommandHelp> = {
	run: {
		usage: 'fatc run [-c FILE] [--json] [--run-once] [--fresh] [--keep-on-hangup]',
		summary: 'Supervises the jobs in the foreground, without a TUI: one line per event on stdout (systemd, Docker, a pipe).\n'
			+ 'It stops gracefully on SIGTERM/SIGINT, and once nobody reads its output (exit 141): use --detach to outlive an SSH session.',
		options: [
			config,
			'--json              one JSON object per event',
			'--run-once          one scheduling pass; exit 0 if every run was done or more, else 1',
			'--fresh             forget the scales and pauses made by hand in an earlier run',
			'--keep-on-hangup    run on when nobody reads the output any more (its lines are dropped)',
		],
		example: 'fatc run -c /srv/site/jobs.yml --json | jq .',
	},
	attach: {
		usage: 'fatc attach [-c FILE | --host URL | URL] | fatc attach ADDRESS ADDRESS…',
		summary: 'The TUI on the fatc already running this config; q leaves it running, D is not needed. One ssh:// URL: that server\'s daemon, as with --host.\n'
			+ 'Given several addresses (ssh://[user@]host[:port][/path], a config file, an app\'s folder or a daemon\'s name), the fleet view of them all, as fatc fleet shows it.',
		options: [config, host],
		example: 'cd /srv/site && fatc attach',
	},
	fleet: {
		usage: 'fatc fleet [-f] [FILE]',
		summary: 'The fleet view: the daemons of FILE (default ./fleet.yaml; hosts: a list of addresses, or of {address, name}) in one table, each job with its totals over the hosts and its hosts one key (Enter) away. +/-, p and r act on the selected host\'s job, or on every host of a job after y. A host that does not answer is shown down, since when and why, and tried again (1 s, doubling to 30 s) without holding up the others. q leaves every daemon running.',
		example: 'fatc fleet -f ~/fleet.yaml   # hosts: [ssh://web1/srv/site, {address: ssh://deploy@web2:2222/srv/site, name: web2}]',
	},
	status: {
		usage: 'fatc status [-c FILE | --host URL] [--json]',
		summary: `The jobs and runs of the running fatc, with the last 15 minutes' results. ${onRunning}`,
		options: [config, '--json              the whole snapshot as JSON', host],
		example: 'fatc status --json | jq \'.jobs[] | {name, instances}\'',
	},
	stop: {
		usage: 'fatc stop [-c FILE | --host URL]',
		summary: `Stops the running fatc gracefully; returns once every run is gone. ${onRunning}`,
		options: [config, host],
		example: 'fatc stop -c /srv/site/jobs.yml',
	},
	reload: {
		usage: 'fatc reload [-c FILE | --host URL]',
		summary: `Reads the config file again and applies what changed (a save does it too). ${onRunning}`,
		options: [config, host],
		example: 'fatc reload',
	},
	scale: {
		usage: 'fatc scale JOB N [-c FILE | --host URL]',
		summary: `Sets how many runs of JOB may run at once (0 to ${maximumInstances}); kept across a restart of this config until the file's instances change. ${onRunning}`,
		options: [config, host],
		example: 'fatc scale send-emails 8',
	},
	pause: {
		usage: 'fatc pause JOB [-c FILE | --host URL]',
		summary: `Stops JOB's runs and starts no new one until resume (a trigger still starts one). ${onRunning}`,
		options: [config, host],
		example: 'fatc pause send-emails',
	},
	resume: {
		usage: 'fatc resume JOB [-c FILE | --host URL]',
		summary: `Starts a paused JOB again. ${onRunning}`,
		options: [config, host],
		example: 'fatc resume send-emails',
	},
	restart: {
		usage: 'fatc restart JOB [-c FILE | --host URL]',
		summary: `Stops JOB's runs gracefully and starts it afresh. ${onRunning}`,
		options: [config, host],
		example: 'fatc restart send-emails',
	},
	trigger: {
		usage: 'fatc trigger JOB [-c FILE | --host URL]',
		summary: `Starts one run of JOB now (or as soon as a slot is free), whatever its sleep. ${onRunning}`,
		options: [config, host],
		example: 'fatc trigger rebuild-index',
	},
	logs: {
		usage: 'fatc logs [JOB] [-f] [-n N] [-c FILE | --host URL]',
		summary: 'The output of the jobs (or of JOB) from their log files: the last N lines, -f to follow.',
		options: [config, '-f, --follow        keep printing what is written', '-n, --lines N       how many lines (default 20)', host],
		example: 'fatc logs send-emails -f -n 100',
	},
	metrics: {
		usage: 'fatc metrics [-c FILE | --host URL]',
		summary: `The running fatc's Prometheus metrics, as its GET /metrics serves them. ${onRunning}`,
		options: [config, host],
		example: 'fatc metrics | grep fatc_runs_total',
	},
	history: {
		usage: 'fatc history [JOB] [--since 1h] [--limit N] [--json] [-c FILE | --host URL]',
		summary: 'Ended runs, newest first (the last 20, or all in --since); from the running fatc, else from its history file.',
		options: [config, '--since DURATION    runs that ended within it (30m, 1h, 2d)', '--limit N           at most N runs', '--json              one JSON object per run', host],
		example: 'fatc history send-emails --since 1h',
	},
	cluster: {
		usage: 'fatc cluster status [--json] | fatc cluster pause JOB | fatc cluster resume JOB [-c FILE]',
		summary: 'Every fatc sharing the config\'s cluster key, through its Redis (no daemon needed here): status lists each with its jobs and the age of its last beat (stale after 6s, gone after 30s); pause and resume reach all of them at once, and one that starts later picks the pause up.\n'
			+ 'A cluster pause wins over fatc resume by hand (refused, naming this command); a pause by hand under it stays after the cluster resume. Exit 2 without a cluster config, 3 when Redis cannot be reached.',
		options: [config, '--json              with status: the hosts, their jobs and the cluster pauses as JSON'],
		example: 'fatc cluster pause send-invoices',
	},
	check: {
		usage: 'fatc check [-c FILE] [--test-fire]',
		summary: 'Validates the config and that each job\'s command can be found and run (exit 0, or 2 with one line per problem).',
		options: [config, '--test-fire         then run each job once in the foreground'],
		example: 'fatc check -c /srv/site/jobs.yml',
	},
	import: {
		usage: 'fatc import FILE [-o OUT] [--force]',
		summary: 'Converts an original Fat Controller config (shell variables) into YAML.',
		options: ['-o, --output OUT    write it to OUT instead of stdout', '--force             replace OUT if it exists'],
		example: 'fatc import /etc/fatcontroller.d/emails.conf -o .fatcontrollerrc',
	},
	proxy: {
		usage: 'fatc proxy [PATH | -c FILE | --name NAME]',
		summary: 'On a server: bridges stdin and stdout to the control socket of the daemon there (of the app in PATH, a folder or config file; or by its name), so that ssh HOST fatc proxy carries fatc\'s control protocol — what --host ssh://… runs. No port is opened: the socket\'s 0600 mode still decides who may steer, so the SSH user must be the daemon\'s. Exit 3 when no daemon answers.',
		options: [config, '--name NAME         the daemon named NAME (its socket in the default runDir)'],
		example: 'ssh web1 fatc proxy /srv/site',
	},
	help: {
		usage: 'fatc help [COMMAND]',
		summary: 'This help: the overview, or one command\'s (as fatc COMMAND --help).',
		example: 'fatc help scale',
	},
	completion: {
		usage: 'fatc completion bash|zsh|fish',
		summary: 'Prints a completion script for the shell: commands, options, and the job names of the config in the current folder.',
		example: 'fatc completion bash > ~/.local/share/bash-completion/completions/fatc',
	},
};

/** The help text of `command`, or undefined when fatc has no such command. */
export function formatCommandHelp(command: string): string | undefined {
	const help = Object.hasOwn(commandHelp, command) ? commandHelp[command] : undefined;
	if (help === undefined) {
		return undefined;
	}

	const options = help.options ? `\nOptions\n${help.options.map(line => `  ${line}`).join('\n')}\n` : '';
	return `usage: ${help.usage}\n\n${wrap(help.summary)}\n${options}\nExample\n  ${help.example}\n`;
}

/** Each line cut at the last space before `width` columns. */
function wrap(text: string, width = 100): string {
	return text.split('\n').map(line => {
		const lines: string[] = [];
		let rest = line;
		while (rest.length > width) {
			const cut = rest.lastIndexOf(' ', width);
			lines.push(rest.slice(0, cut > 0 ? cut : width));
			rest = rest.slice(cut > 0 ? cut + 1 : width);
		}

		return [...lines, rest].join('\n');
	}).join('\n');
}
