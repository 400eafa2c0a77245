/** One column of a table: its title, width and how a row reads in it. */
export type Column<Row> = {
	title: string;
	/** A fixed width, or 'flex': the one column that takes the width the others leave (at least `minimum`, at most `maximum`). */
	width: number | 'flex';
	minimum?: number;
	/** A flex column's widest; what is left past it stays blank at the end of the row. Default: no limit. */
	maximum?: number;
	align?: 'left' | 'right';
	/** Columns with a drop order are left out, lowest first, while the table is wider than the terminal. */
	dropOrder?: number;
	cell(row: Row): string;
	/** A colour for the cell (only used when colour is on). */
	color?(row: Row): string | undefined;
};

export type FittedColumn<Row> = Column<Row> & {width: number};

/** Width of the selection marker in front of every row. */
export const markerWidth = 2;

/** The columns that fit in `width` (one space between columns), with the flexible one sized to what is left. */
export function fitColumns<Row>(columns: ReadonlyArray<Column<Row>>, width: number): Array<FittedColumn<Row>> {
	let kept = [...columns];
	const needed = (list: ReadonlyArray<Column<Row>>) => markerWidth + list.reduce(
		(sum, column) => sum + (column.width === 'flex' ? column.minimum ?? 1 : column.width),
		list.length - 1,
	);
	const droppable = columns.filter(column => column.dropOrder !== undefined).sort((first, second) => first.dropOrder! - second.dropOrder!);
	for (const column of droppable) {
		if (needed(kept) <= width) {
			break;
		}

		kept = kept.filter(candidate => candidate !== column);
	}

	const spare = Math.max(0, width - needed(kept));
	return kept.map(column => (column.width === 'flex'
		? {...column, width: Math.min((column.minimum ?? 1) + spare, Math.max(column.minimum ?? 1, column.maximum ?? Infinity))}
		: {...column, width: column.width}));
}

/** The first row to show so that `selected` stays in view, moving the window as little as possible. */
export function windowStart(previousStart: number, selected: number, height: number, total: number): number {
	const last = Math.max(0, total - height);
	let start = Math.min(Math.max(previousStart, 0), last);
	if (selected < start) {
		start = selected;
	} else if (selected >= start + height) {
		start = selected - height + 1;
	}

	return Math.min(Math.max(start, 0), last);
}
