import {Box} from 'ink';
import {useEffect, useMemo, useReducer} from 'react';
import type {JobSnapshot} from '../core/snapshot.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {conditionWord, describeConditions} from '../reporters/describe-condition.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {detectCapabilities, DisplayContext, displayFor, type Capabilities} from './display.js';
import {EventLines} from './event-lines.js';
import {Footer} from './footer.js';
import {configErrorLines, Header} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {HistoryPane} from './history-pane.js';
import {jobColumns} from './jobs-columns.js';
import {computeLayout} from './layout.js';
import {LogPane} from './log-pane.js';
import {runColumns} from './runs-columns.js';
import {windowAround} from './runs-page.js';
import {resolveSelection, runsUnderWay} from './selection.js';
import {Table} from './table.js';
import type {TuiSession} from './tui-session.js';
import {initialUiState, reduceUi, statusLifetime} from './ui-state.js';
import {useKeyBindings} from './use-key-bindings.js';
import {useHistory} from './use-history.js';
import {useLogTail} from './use-log-tail.js';
import {useRunsWindow} from './use-runs-window.js';
import {useSupervisorView} from './use-supervisor-view.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';

export type AppProps = {
	/** The only way to the core: snapshots to read, methods to call (the daemon's, over its control socket). */
	handle: SupervisorHandle;
	/** Default: detected from the environment (locale, TERM, NO_COLOR). */
	capabilities?: Capabilities;
	/** Default: the terminal's size, following resizes. */
	size?: TerminalSize;
	/** Owned or attached (what q and D do); absent in tests. */
	session?: TuiSession;
	/** Events from before the UI subscribed (fatc's start, the first runs). */
	earlierEvents?: () => SupervisorEvent[];
	/** How long (ms) a status message replaces the key hints. Default: statusLifetime, 5 s. */
	statusLifetime?: number;
};

/** The interactive TUI (SPEC §5): jobs, the selected job's runs, events or log, and a footer of keys. */
export function App(props: AppProps) {
	const {handle} = props;
	const display = useMemo(() => displayFor(props.capabilities ?? detectCapabilities()), [props.capabilities]);
	const {columns: width, rows} = useTerminalSize(props.size);
	const {snapshot, events, refresh} = useSupervisorView(handle, {earlierEvents: props.earlierEvents});
	const [ui, dispatch] = useReducer(reduceUi, initialUiState);
	const selection = resolveSelection(snapshot, ui);
	const headerLines = 1 + configErrorLines(snapshot.configError, width).length;
	const lifetime = props.statusLifetime ?? statusLifetime;
	useEffect(() => {
		if (ui.status === undefined) {
			return;
		}

		// The message goes, the key hints come back (a quitting message stays: the reducer keeps it).
		const timer = setTimeout(() => {
			dispatch({type: 'expire-status', id: ui.statusId});
		}, lifetime);
		return () => {
			clearTimeout(timer);
		};
	}, [ui.statusId, ui.status, lifetime]);
	const layout = computeLayout({rows, jobs: snapshot.jobs.length, instances: Math.max(selection.job?.instances ?? 1, selection.runs.total), headerLines});
	useRunsWindow(handle, selection.job && windowAround(selection.job.name, selection.runIndex, layout.runRows), refresh);
	const logLines = useLogTail(handle, selection.job?.name, ui.bottom === 'log');
	const history = useHistory(handle, selection.job?.name, ui.bottom === 'history');
	const bottomLength = ui.bottom === 'history' ? history.length : logLines.length;
	useKeyBindings({handle, session: props.session, snapshot, ui, selection, layout, logLength: bottomLength, dispatch, refresh});
	const withBacklog = snapshot.jobs.some(job => job.backlog !== null);
	const jobs = useMemo(() => jobColumns(snapshot.takenAt, {withBacklog, unicode: display.unicode}), [snapshot.takenAt, withBacklog, display.unicode]);
	const conditions = selection.job ? describeConditions(selection.job, snapshot.takenAt) : [];
	const runs = useMemo(() => runColumns(snapshot.takenAt), [snapshot.takenAt]);

	return (
		<DisplayContext.Provider value={display}>
			<Box flexDirection="column" width={width}>
				<Header snapshot={snapshot} width={width}/>
				{ui.overlay === 'help' ? <HelpOverlay width={width} height={rows - headerLines - 1}/> : (
					<>
						<Table
							title={`Jobs (${snapshot.jobs.length})`}
							columns={jobs}
							rows={snapshot.jobs}
							rowKey={job => job.name}
							selectedIndex={selection.jobIndex}
							height={layout.jobRows}
							width={width}
							focused={ui.focus === 'jobs'}
							empty="no jobs"
						/>
						<Table
							title={[`Runs of ${selection.job?.name ?? '-'}`, ...conditions].join(' · ')}
							columns={runs}
							rows={selection.runs.workers}
							offset={selection.runs.offset}
							total={selection.runs.total}
							rowKey={worker => worker.runId}
							selectedIndex={selection.runIndex}
							height={layout.runRows}
							width={width}
							focused={ui.focus === 'runs'}
							empty={emptyRuns(selection.job)}
						/>
						{ui.bottom === 'log' && <LogPane job={selection.job?.name} logFile={selection.job?.logFile} lines={logLines} scroll={ui.logScroll} height={layout.bottomRows} width={width} focused={ui.focus === 'log'}/>}
						{ui.bottom === 'history' && <HistoryPane job={selection.job?.name} entries={history} scroll={ui.logScroll} height={layout.bottomRows} width={width} focused={ui.focus === 'log'}/>}
						{ui.bottom === 'events' && <EventLines events={events} height={layout.bottomRows} width={width}/>}
					</>
				)}
				<Footer ui={ui} runs={runsUnderWay(snapshot)} width={width}/>
			</Box>
		</DisplayContext.Provider>
	);
}

/** What the runs table says when the job has none under way, and why none starts. */
function emptyRuns(job: JobSnapshot | undefined): string {
	const word = job ? conditionWord(job) : '';
	return word === '' ? 'no runs under way' : `${word}: no runs`;
}
