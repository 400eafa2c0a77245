/** Lines of each pane's rows (section rule and column header come on top). */
export type Layout = {jobRows: number; runRows: number; bottomRows: number};

/**
 * Splits the terminal's height between the panes. The runs pane is sized by the selected job's instances, not its
 * live runs, so panes do not jump while runs come and go. On a tall terminal the bottom pane (events, log, history)
 * gets at most half of the height (or 15 lines, whichever is more) and the runs pane the rest: a fair share of it.
 */
export function computeLayout(options: {rows: number; jobs: number; instances: number; headerLines: number}): Layout {
	const chrome = options.headerLines + 1 + 5; // header, footer, three rules and two column headers
	const available = Math.max(3, options.rows - chrome);
	const jobRows = clamp(options.jobs, 1, Math.max(1, Math.floor(available * 0.4)));
	const needed = clamp(options.instances, 1, Math.max(1, Math.floor(available * 0.35)));
	const bottomRows = Math.max(1, Math.min(available - jobRows - needed, Math.max(Math.ceil(available / 2), 15)));
	return {jobRows, runRows: Math.max(1, available - jobRows - bottomRows), bottomRows};
}

function clamp(value: number, minimum: number, maximum: number): number {
	return Math.min(Math.max(value, minimum), maximum);
}
