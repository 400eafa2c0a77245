import {Box, Text} from 'ink';
import {useRef} from 'react';
import {fitColumns, windowStart, type Column} from './columns.js';
import {paint, useDisplay} from './display.js';
import {Filler} from './filler.js';
import {fit} from './format-cells.js';
import {SectionRule} from './section-rule.js';

export type TableProps<Row> = {
	title: string;
	columns: ReadonlyArray<Column<Row>>;
	rows: readonly Row[];
	/** When `rows` are a page of a longer list: the position of `rows[0]` in it, and its length. Default: all of it. */
	offset?: number;
	total?: number;
	rowKey(row: Row): string | number;
	/** Position in the whole list. */
	selectedIndex: number;
	/** Rows to show; only these are rendered, whatever the length of `rows`. */
	height: number;
	width: number;
	focused: boolean;
	/** Shown in the first row when there are none. */
	empty: string;
};

/**
 * A titled table that renders only the rows that fit (virtualised), keeping the selected row in view. Given a page of
 * the rows, it shows those of the page that fall in view (the page arrives as the view moves: RunsWindow).
 */
export function Table<Row>(props: TableProps<Row>) {
	const display = useDisplay();
	const {glyphs} = display;
	const start = useRef(0);
	const height = Math.max(1, props.height);
	const offset = props.offset ?? 0;
	const total = props.total ?? props.rows.length;
	start.current = windowStart(start.current, props.selectedIndex, height, total);
	const columns = fitColumns(props.columns, props.width);
	const first = Math.max(start.current, offset);
	const visible = props.rows.slice(first - offset, Math.max(0, start.current + height - offset));
	const range = total > height ? ` ${start.current + 1}-${Math.min(start.current + height, total)} of ${total}` : '';
	const cell = (text: string, index: number) => fit(text, columns[index]!.width, columns[index]!.align, glyphs.ellipsis);
	const header = columns.map((column, index) => cell(column.title, index)).join(' ');

	return (
		<Box flexDirection="column">
			<SectionRule title={`${props.title}${range}`} width={props.width} focused={props.focused}/>
			<Text wrap="truncate" bold>{`  ${header}`}</Text>
			{visible.length === 0 && <Text wrap="truncate" dimColor>{'  '}{props.empty}</Text>}
			{visible.map((row, index) => {
				const selected = first + index === props.selectedIndex;
				const marker = selected ? `${glyphs.selected} ` : '  ';
				return (
					<Text key={props.rowKey(row)} wrap="truncate" inverse={selected && props.focused} bold={selected && !props.focused}>
						{segments(marker, columns.map((column, index) => ({
							text: (index === 0 ? '' : ' ') + cell(column.cell(row), index),
							color: paint(display, column.color?.(row)),
						})))}
					</Text>
				);
			})}
			<Filler lines={height - Math.max(1, visible.length)}/>
		</Box>
	);
}

/**
 * Joins neighbouring cells of the same colour into one string: a row is then one or a few text nodes instead of
 * one per cell, which is most of what a frame costs Ink to lay out.
 */
function segments(marker: string, cells: Array<{text: string; color: string | undefined}>) {
	const joined: Array<{text: string; color: string | undefined}> = [{text: marker, color: undefined}];
	for (const cell of cells) {
		const last = joined.at(-1)!;
		if (last.color === cell.color) {
			last.text += cell.text;
		} else {
			joined.push({...cell});
		}
	}

	return joined.map((segment, index) => (segment.color ? <Text key={index} color={segment.color}>{segment.text}</Text> : segment.text));
}
