import {Box, Text, useApp, useInput, useStdin, type Key} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import type {Column} from './columns.js';
import {detectCapabilities, DisplayContext, displayFor, paint, useDisplay, type Capabilities} from './display.js';
import {fleetColumns} from './fleet-columns.js';
import {fleetRows, hostsOfJob, type FleetHostView, type FleetRow} from './fleet-rows.js';
import {fit, formatClock, formatDuration} from './format-cells.js';
import {fittingHints, KeyHints, Question, type Hint} from './footer.js';
import {HelpOverlay} from './help-overlay.js';
import {commandFor} from './key-map.js';
import {Table} from './table.js';
import {statusLifetime} from './ui-state.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';

/** What the fleet view reads and steers: the fleet handle (daemon/fleet-connections.ts) fits it. */
export type FleetSource = {
	hosts(): FleetHostView[];
	/** The host's handle while it answers. */
	handle(host: string): Pick<SupervisorHandle, 'scaleBy' | 'pause' | 'resume' | 'restart'> | undefined;
	subscribe(listener: (host: string, event?: SupervisorEvent) => void): () => void;
};

export type FleetAppProps = {
	fleet: FleetSource;
	capabilities?: Capabilities;
	size?: TerminalSize;
	/** Called as q leaves (the daemons go on). */
	onQuit?: () => void;
	statusLifetime?: number;
};

type Action = 'scale-up' | 'scale-down' | 'pause' | 'resume' | 'restart';
type Confirm = {action: Action; job: string; hosts: string[]};
type FleetUi = {
	selected: string | undefined;
	index: number;
	expanded: ReadonlySet<string>;
	overlay: 'none' | 'help';
	confirm: Confirm | undefined;
	status: string | undefined;
	statusId: number;
};

const doing: Record<Action, string> = {'scale-up': 'instances +1', 'scale-down': 'instances -1', pause: 'paused', resume: 'resumed', restart: 'restarting every run'};
const asking: Record<Action, string> = {'scale-up': 'Scale up', 'scale-down': 'Scale down', pause: 'Pause', resume: 'Resume', restart: 'Restart every run of'};

export function fleetHelpLines(upDown: string): Array<[string, string]> {
	return [
		[`${upDown}  j k`, 'select a job (its fleet totals) or one host\'s job (g G: first, last)'],
		['Enter', 'show or hide the job\'s hosts (also Space, → ←)'],
		['+ -', 'scale the instances up or down by one: on the host, or on every host after y'],
		['p', 'pause the job, or resume it (every host: asks first)'],
		['r', 'restart the job\'s runs (every host: asks first)'],
		['q Ctrl+C', 'leave: every daemon goes on running'],
		['HOST', 'the host; on a job\'s row how many hosts have it ("1 of 2": one unreachable)'],
		['R/A/I', 'runs under way / allowed now / instances: summed over the hosts that answer'],
		['down', 'the host does not answer: the Hosts table says since when and why; retried'],
	];
}

function hints(): Hint[] {
	return [
		{keys: 'jk', label: 'move', priority: 3},
		{keys: 'Enter', label: 'hosts', priority: 8},
		{keys: '+-', label: 'scale', priority: 9},
		{keys: 'p', label: 'pause', priority: 8},
		{keys: 'r', label: 'restart', priority: 8},
		{keys: '?', label: 'help', priority: 10},
		{keys: 'q', label: 'quit', priority: 10},
	];
}

/**
 * `fatc attach ADDRESS…` and `fatc fleet`: one table of every host's jobs, grouped by job name with fleet totals,
 * each job's hosts one key away, and a table of the hosts and how they answer. Keys act on the selected host's job, or
 * on every host of a job after a y. A host that drops out is shown down (the others go on as before).
 */
export function FleetApp(props: FleetAppProps) {
	const {fleet} = props;
	const display = useMemo(() => displayFor(props.capabilities ?? detectCapabilities()), [props.capabilities]);
	const {columns: width, rows: height} = useTerminalSize(props.size);
	const [hosts, setHosts] = useState(() => fleet.hosts());
	const [now, setNow] = useState(() => Date.now());
	const [ui, setUi] = useState<FleetUi>({selected: undefined, index: 0, expanded: new Set(), overlay: 'none', confirm: undefined, status: undefined, statusId: 0});
	const latest = useRef({ui, rows: [] as FleetRow[], hosts});
	const update = (change: (state: FleetUi) => Partial<FleetUi>) => {
		const next = {...latest.current.ui, ...change(latest.current.ui)};
		latest.current = {...latest.current, ui: next};
		setUi(next);
	};

	const say = (message: string | undefined) => {
		update(state => ({status: message, statusId: state.statusId + 1}));
	};

	// Any number of snapshots from any number of hosts: at most 10 renders a second, and one a second for the clocks.
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const pull = () => {
			timer = undefined;
			setHosts(fleet.hosts());
			setNow(Date.now());
		};

		const unsubscribe = fleet.subscribe((host, event) => {
			// What a host says of itself: its errors, and its warnings of what it works around (once errors too).
			if (event?.type === 'supervisor-error' || event?.type === 'supervisor-warning') {
				say(`${host}: ${event.message}`);
			}

			timer ??= setTimeout(pull, 100);
		});
		const tick = setInterval(pull, 1000);
		return () => {
			unsubscribe();
			clearInterval(tick);
			clearTimeout(timer);
		};
	}, [fleet]);

	const lifetime = props.statusLifetime ?? statusLifetime;
	useEffect(() => {
		if (ui.status === undefined) {
			return;
		}

		const timer = setTimeout(() => {
			update(state => (state.statusId === ui.statusId ? {status: undefined} : {}));
		}, lifetime);
		return () => {
			clearTimeout(timer);
		};
	}, [ui.statusId, ui.status, lifetime]);

	const rows = fleetRows(hosts, ui.expanded);
	const found = rows.findIndex(row => row.key === ui.selected);
	const selectedIndex = found === -1 ? Math.min(ui.index, Math.max(0, rows.length - 1)) : found;
	latest.current = {...latest.current, rows, hosts};

	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	useInput((input, key) => {
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const press of presses) {
			onKey(press, key);
		}
	}, {isActive: isRawModeSupported === true});

	function onKey(input: string, key: Key) {
		const {ui: state, rows: table, hosts: fleetHosts} = latest.current;
		const foundNow = table.findIndex(row => row.key === state.selected);
		const index = foundNow === -1 ? Math.min(state.index, Math.max(0, table.length - 1)) : foundNow;
		const row = table[index];
		if (state.confirm) {
			if (input === 'y' || input === 'Y' || key.return) {
				const {action, job, hosts: targets} = state.confirm;
				update(() => ({confirm: undefined}));
				const reached = targets.filter(host => act(action, job, host));
				say(`${job}: ${doing[action]} on ${reached.length} of ${targets.length} ${targets.length === 1 ? 'host' : 'hosts'}`);
			} else if (input === 'n' || input === 'N' || key.escape || (key.ctrl && input === 'c')) {
				update(() => ({confirm: undefined}));
				say('nothing done');
			}

			return;
		}

		if (state.overlay === 'help') {
			update(() => ({overlay: 'none'}));
			return;
		}

		if (key.return || input === ' ' || key.rightArrow || key.leftArrow) {
			if (row) {
				const group = `job:${row.name}`;
				const expanded = new Set(state.expanded);
				if (key.rightArrow || (!key.leftArrow && !expanded.has(group))) {
					expanded.add(group);
				} else {
					expanded.delete(group);
				}

				update(() => ({expanded, selected: group}));
			}

			return;
		}

		const command = commandFor(input, key, {overlay: 'none', quitting: 'no'});
		switch (command) {
			case 'up':
			case 'down':
			case 'page-up':
			case 'page-down':
			case 'first':
			case 'last': {
				const by = {up: -1, down: 1, 'page-up': -10, 'page-down': 10, first: -Infinity, last: Infinity}[command];
				const next = Math.min(Math.max(0, index + by), Math.max(0, table.length - 1));
				update(() => ({index: next, selected: table[next]?.key}));
				return;
			}

			case 'help': {
				update(() => ({overlay: 'help'}));
				return;
			}

			case 'quit': {
				props.onQuit?.();
				exit();
				return;
			}

			case 'scale-up':
			case 'scale-down':
			case 'pause':
			case 'restart': {
				if (!row) {
					return;
				}

				const paused = row.job?.paused === true;
				const action: Action = command === 'pause' ? (paused ? 'resume' : 'pause') : command;
				if (row.kind === 'host') {
					say(act(action, row.name, row.host) ? `${row.host}: ${row.name}: ${doing[action]}` : `${row.host} is unreachable: nothing sent`);
					return;
				}

				const targets = hostsOfJob(fleetHosts, row.name);
				if (targets.length === 0) {
					say(`${row.name}: no host that has it answers: nothing sent`);
					return;
				}

				update(() => ({confirm: {action, job: row.name, hosts: targets}}));
				return;
			}

			case 'cancel': {
				say(undefined);
				return;
			}

			default: {
				if (command) {
					say(`${input} does nothing in the fleet view; ? lists its keys`);
				}
			}
		}
	}

	/** Sends one command to one host, without waiting (its failure comes back as an event); false when it is down. */
	function act(action: Action, job: string, host: string): boolean {
		const handle = fleet.handle(host);
		if (!handle) {
			return false;
		}

		if (action === 'scale-up' || action === 'scale-down') {
			handle.scaleBy(job, action === 'scale-up' ? 1 : -1);
		} else {
			handle[action](job);
		}

		return true;
	}

	const hostRows = Math.min(hosts.length, Math.max(1, Math.floor((height - 6) / 3)));
	const jobRows = Math.max(1, height - hostRows - 6);
	const withBacklog = rows.some(row => row.job?.backlog);
	const jobs = useMemo(() => fleetColumns({withBacklog, unicode: display.unicode}), [withBacklog, display.unicode]);
	const hostColumns = useMemo(() => hostTableColumns(now), [now]);
	const up = hosts.filter(host => host.status === 'up');
	const runs = up.reduce((sum, host) => sum + (host.snapshot?.jobs.reduce((total, job) => total + job.runsTotal, 0) ?? 0), 0);
	const jobCount = rows.filter(row => row.kind === 'job').length;
	const header = [`${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, `${up.length} up`, `${jobCount} ${jobCount === 1 ? 'job' : 'jobs'}`, `${runs} ${runs === 1 ? 'run' : 'runs'}`];
	const down = hosts.filter(host => host.status === 'unreachable').length;
	return (
		<DisplayContext.Provider value={display}>
			<Box flexDirection="column" width={width}>
				<Text wrap="truncate">
					<Text bold color={paint(display, 'cyan')}>fleet</Text>
					{fit(display.glyphs.separator + header.join(display.glyphs.separator) + (down > 0 ? `${display.glyphs.separator}${down} unreachable` : ''), Math.max(0, width - 5), 'left', display.glyphs.ellipsis)}
				</Text>
				{ui.overlay === 'help' ? <HelpOverlay width={width} height={height - 2} lines={fleetHelpLines(display.glyphs.upDown)}/> : (
					<>
						<Table
							title={`Jobs (${jobCount})`}
							columns={jobs}
							rows={rows}
							rowKey={row => row.key}
							selectedIndex={selectedIndex}
							height={jobRows}
							width={width}
							focused
							empty={hosts.some(host => host.snapshot) ? 'no jobs' : 'waiting for the hosts…'}
						/>
						<Table
							title={`Hosts (${hosts.length})`}
							columns={hostColumns}
							rows={hosts}
							rowKey={host => host.name}
							selectedIndex={-1}
							height={hostRows}
							width={width}
							focused={false}
							empty="no hosts"
						/>
					</>
				)}
				<FleetFooter ui={ui} width={width}/>
			</Box>
		</DisplayContext.Provider>
	);
}

function FleetFooter({ui, width}: {ui: FleetUi; width: number}) {
	const display = useDisplay();
	if (ui.confirm) {
		const {action, job, hosts} = ui.confirm;
		return <Question text={`${asking[action]} ${job} on ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} (${hosts.join(', ')})? y = yes, n = no`} width={width}/>;
	}

	if (ui.status !== undefined) {
		return <Text wrap="truncate">{fit(ui.status, width, 'left', display.glyphs.ellipsis)}</Text>;
	}

	return <KeyHints hints={fittingHints(display.glyphs, width, hints())}/>;
}

/** The hosts table: whether each host answers (its pid, or "unreachable since 14:02:07: why; retry in 4s"), and its address. */
function hostTableColumns(now: number): Array<Column<FleetHostView>> {
	return [
		{title: 'HOST', width: 12, cell: host => host.name},
		{title: 'STATE', width: 'flex', minimum: 40, cell: host => hostState(host, now), color: host => (host.status === 'unreachable' ? 'red' : undefined)},
		{title: 'ADDRESS', width: 30, dropOrder: 1, cell: host => host.address},
	];
}

export function hostState(host: FleetHostView, now: number): string {
	if (host.status === 'up') {
		return `up since ${formatClock(host.since)}, pid ${host.snapshot?.pid ?? '-'}`;
	}

	if (host.status === 'connecting') {
		return 'connecting…';
	}

	const retry = host.retryAt === null ? '' : `; retry in ${formatDuration(Math.max(0, host.retryAt - now))}`;
	return `unreachable since ${formatClock(host.since)}: ${host.reason ?? 'no answer'}${retry}`;
}
