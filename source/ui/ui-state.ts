/** Which table the arrow keys move in. */
export type Pane = 'jobs' | 'runs' | 'log';

/** What the TUI itself remembers between frames; the jobs and runs come from the snapshot. */
export type UiState = {
	focus: Pane;
	/** The pane under the tables: the event lines, the selected job's log, or its history of ended runs. */
	bottom: 'events' | 'log' | 'history';
	overlay: 'none' | 'help' | 'confirm-quit';
	/** By name, so the selection stays on its job whatever the order. */
	selectedJob: string | undefined;
	/** By run id while that run lives, else by position. */
	selectedRun: {runId: number | undefined; index: number};
	/** Lines scrolled up from the end of the log (down from the newest run of the history); 0 follows the tail. */
	logScroll: number;
	/** One line of feedback for the last key, until the next one or until it expires (statusLifetime), then the key hints. */
	status: string | undefined;
	/** Counts status changes, so that a timer expires only the message it was set for. */
	statusId: number;
	quitting: 'no' | 'stopping' | 'killing';
};

export type UiAction =
	/** Moves the selection `by` rows (±Infinity: first, last) in `jobs`, the job names in table order. */
	| {type: 'move-job'; by: number; jobs: readonly string[]}
	/** In the selected job's runs: `runIds` are those the snapshot holds, from position `offset` of `total`. */
	| {type: 'move-run'; by: number; runIds: readonly number[]; offset: number; total: number}
	| {type: 'cycle-focus'}
	| {type: 'toggle-log'}
	| {type: 'toggle-history'}
	| {type: 'scroll-log'; by: number; maximum: number}
	| {type: 'open'; overlay: 'help' | 'confirm-quit'}
	| {type: 'close-overlay'}
	| {type: 'status'; message: string | undefined}
	/** The message `id` has been shown long enough; a newer one, or a quitting one, stays. */
	| {type: 'expire-status'; id: number}
	| {type: 'quitting'; how: 'stopping' | 'killing'; message: string};

export const initialUiState: UiState = {
	focus: 'jobs',
	bottom: 'events',
	overlay: 'none',
	selectedJob: undefined,
	selectedRun: {runId: undefined, index: 0},
	logScroll: 0,
	status: undefined,
	statusId: 0,
	quitting: 'no',
};

/** How long a status message replaces the key hints. */
export const statusLifetime = 5000;

export function reduceUi(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'move-job': {
			// Moves from the state's own selection, not a rendered one: key repeats faster than frames stay exact.
			const current = Math.max(0, action.jobs.indexOf(state.selectedJob ?? ''));
			const name = action.jobs[clampIndex(current + action.by, action.jobs.length)];
			return name === undefined || name === state.selectedJob ? state : {...state, selectedJob: name, selectedRun: {runId: undefined, index: 0}, logScroll: 0};
		}

		case 'move-run': {
			const byId = state.selectedRun.runId === undefined ? -1 : action.runIds.indexOf(state.selectedRun.runId);
			const current = byId === -1 ? clampIndex(state.selectedRun.index, action.total) : action.offset + byId;
			const index = clampIndex(current + action.by, action.total);
			// A run beyond the page held is selected by position until its page arrives.
			return {...state, selectedRun: {runId: action.runIds[index - action.offset], index}};
		}

		case 'cycle-focus': {
			const order: Pane[] = state.bottom === 'events' ? ['jobs', 'runs'] : ['jobs', 'runs', 'log'];
			return {...state, focus: order[(order.indexOf(state.focus) + 1) % order.length]!};
		}

		case 'toggle-log':
		case 'toggle-history': {
			const pane = action.type === 'toggle-log' ? 'log' : 'history';
			const bottom = state.bottom === pane ? 'events' : pane;
			return {...state, bottom, logScroll: 0, focus: bottom === 'events' && state.focus === 'log' ? 'jobs' : state.focus};
		}

		case 'scroll-log': {
			return {...state, logScroll: Math.min(Math.max(0, state.logScroll + action.by), Math.max(0, action.maximum))};
		}

		case 'open': {
			return {...state, overlay: action.overlay};
		}

		case 'close-overlay': {
			return {...state, overlay: 'none'};
		}

		case 'status': {
			return {...state, status: action.message, statusId: state.statusId + 1};
		}

		case 'expire-status': {
			return action.id === state.statusId && state.quitting === 'no' && state.status !== undefined ? {...state, status: undefined} : state;
		}

		case 'quitting': {
			return {...state, overlay: 'none', quitting: action.how, status: action.message, statusId: state.statusId + 1};
		}
	}
}

function clampIndex(index: number, length: number): number {
	return Math.min(Math.max(index, 0), Math.max(0, length - 1));
}
