// A windowed table: renders only the rows that fit, one line each.
import React from 'react';
import { Box, Text } from 'ink';
import { visibleSlice, type ListPosition } from '../state/listWindow.js';
import { useTheme } from '../theme.js';
import { fitWidth, singleLine } from '../text.js';
import { plainText, usePlain } from '../plain.js';

export interface Column<T> {
  title: string;
  width: number;
  cell: (row: T) => string;
  color?: (row: T) => string | undefined;
}

export function List<T>(props: {
  rows: readonly T[];
  rowId: (row: T) => string;
  columns: Column<T>[];
  position: ListPosition;
  height: number;
  empty?: string;
}): React.ReactElement {
  const theme = useTheme();
  const plain = usePlain();
  const { rows, start } = visibleSlice(props.rows, props.position, props.height);
  if (plain) return <PlainRows {...props} rows={rows} start={start} total={props.rows.length} />;
  // Cells are cluster data: one line each (a newline would break the row), sized in terminal
  // columns (a CJK name or an emoji is two columns wide, never cut in half).
  const fit = (s: string, w: number) => fitWidth(singleLine(s), w);
  return (
    <Box flexDirection="column">
      <Text bold>
        {'  '}
        {props.columns.map((c) => fit(c.title, c.width)).join(' ')}
      </Text>
      {props.rows.length === 0 ? (
        <Text dimColor>
          {'  '}
          {singleLine(props.empty ?? '(empty)')}
        </Text>
      ) : null}
      {rows.map((row, i) => {
        const selected = start + i === props.position.cursor;
        // One Text per row, its cells nested Texts: a nested Text has no layout node, so a row
        // costs one yoga node instead of one per cell (layout and output building were most of a
        // keypress's frame with 5,000 users). Keyed by slot, not by row id: a page move then
        // updates the rows' text instead of unmounting and mounting every row (rows hold no state).
        return (
          <Text key={i} inverse={selected} wrap="truncate-end">
            {selected ? `${theme.marker} ` : '  '}
            {props.columns.map((c, ci) => (
              <Text key={ci} color={theme.color ? c.color?.(row) : undefined}>
                {fit(c.cell(row), c.width)}
                {ci < props.columns.length - 1 ? ' ' : ''}
              </Text>
            ))}
          </Text>
        );
      })}
      {props.rows.length > props.height ? (
        <Text dimColor>
          {'  '}
          {start + 1}-{Math.min(start + props.height, props.rows.length)} of {props.rows.length}
        </Text>
      ) : null}
    </Box>
  );
}

/** Plain mode: one line per row, each cell named by its column ("ID github, TYPE github, ..."). */
function PlainRows<T>(props: {
  rows: readonly T[];
  start: number;
  total: number;
  rowId: (row: T) => string;
  columns: Column<T>[];
  position: ListPosition;
  empty?: string;
}): React.ReactElement {
  const cell = (c: Column<T>, row: T) => {
    const v = plainText(singleLine(c.cell(row))).trim();
    const title = plainText(c.title).trim();
    return title && title !== '#' ? `${title.toLowerCase()} ${v}` : v;
  };
  return (
    <Box flexDirection="column">
      <Text>
        {props.total === 0
          ? `list empty: ${plainText(singleLine(props.empty ?? '(empty)'))}`
          : `list, ${props.total} row${props.total === 1 ? '' : 's'}${
              props.total > props.rows.length
                ? `, showing ${props.start + 1} to ${props.start + props.rows.length}`
                : ''
            }`}
      </Text>
      {props.rows.map((row, i) => (
        <Text key={props.rowId(row)}>
          {props.start + i === props.position.cursor ? 'selected: ' : ''}
          {props.columns
            .map((c) => cell(c, row))
            .filter(Boolean)
            .join(', ')}
        </Text>
      ))}
    </Box>
  );
}
