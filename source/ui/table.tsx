import {Box, Text} from 'ink';
import {useRef} from 'react';
import {fitColumns, windowStart, type Column} from './columns.js';
import {paint, useDisplay} from './display.js';
import {fit} from './format-cells.js';
import {SectionRule} from './section-rule.js';

export type TableProps<Row> = {
	title: string;
	columns: ReadonlyArray<Column<Row>>;
	rows: readonly Row[];
	rowKey(row: Row): string | number;
	selectedIndex: number;
	/** Rows to show; only these are rendered, whatever the length of `rows`. */
	height: number;
	width: number;
	focused: boolean;
	/** Shown in the first row when there are none. */
	empty: string;
};

/** A titled table that renders only the rows that fit (virtualised), keeping the selected row in view. */
export function Table<Row>(props: TableProps<Row>) {
	const display = useDisplay();
	const {glyphs} = display;
	const start = useRef(0);
	const height = Math.max(1, props.height);
	start.current = windowStart(start.current, props.selectedIndex, height, props.rows.length);
	const columns = fitColumns(props.columns, props.width);
	const visible = props.rows.slice(start.current, start.current + height);
	const range = props.rows.length > height ? ` ${start.current + 1}-${start.current + visible.length} of ${props.rows.length}` : '';
	const cell = (text: string, index: number) => fit(text, columns[index]!.width, columns[index]!.align, glyphs.ellipsis);
	const header = columns.map((column, index) => cell(column.title, index)).join(' ');

	return (
		<Box flexDirection="column">
			<SectionRule title={`${props.title}${range}`} width={props.width} focused={props.focused}/>
			<Text wrap="truncate" bold>{' '.repeat(2)}{header}</Text>
			{visible.length === 0 && <Text wrap="truncate" dimColor>{'  '}{props.empty}</Text>}
			{visible.map((row, offset) => {
				const selected = start.current + offset === props.selectedIndex;
				const marker = selected ? `${glyphs.selected} ` : '  ';
				return (
					<Text key={props.rowKey(row)} wrap="truncate" inverse={selected && props.focused} bold={selected && !props.focused}>
						{marker}
						{columns.map((column, index) => {
							const text = (index === 0 ? '' : ' ') + cell(column.cell(row), index);
							const color = paint(display, column.color?.(row));
							return <Text key={index} color={color}>{text}</Text>;
						})}
					</Text>
				);
			})}
		</Box>
	);
}
