// Pick one item from a (possibly long) list: windowed, with type-to-filter.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { Dialog } from './Dialog.js';
import { useKeyLayer, PRIORITY } from '../input/bus.js';
import { filterItems, moveCursor, navDelta, visibleSlice, type ListPosition } from '../state/listWindow.js';
import { editText, textState } from '../input/textEdit.js';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';

export interface SelectItem {
  id: string;
  label: string;
  hint?: string;
}

export function SelectDialog(props: {
  title: string;
  items: SelectItem[];
  onSelect: (item: SelectItem) => void;
  onCancel: () => void;
  height?: number;
  intro?: React.ReactNode;
}): React.ReactElement {
  const theme = useTheme();
  const height = props.height ?? 10;
  const [pos, setPos] = useState<ListPosition>({ cursor: 0, offset: 0 });
  const [filter, setFilter] = useState(textState());
  const shown = filterItems(props.items, filter.value, (i) => `${i.label} ${i.hint ?? ''}`);
  useKeyLayer((name, input) => {
    if (name === 'escape') return props.onCancel();
    if (name === 'enter') {
      const item = shown[Math.min(pos.cursor, shown.length - 1)];
      if (item) props.onSelect(item);
      return;
    }
    const d = ['up', 'down', 'pageup', 'pagedown'].includes(name) ? navDelta(name, height) : undefined;
    if (d !== undefined) return setPos((p) => moveCursor(p, d, shown.length, height));
    const next = editText(filter, name, input);
    if (next) {
      setFilter(next);
      setPos({ cursor: 0, offset: 0 });
    }
  }, PRIORITY.modal);
  const { rows, start } = visibleSlice(shown, pos, height);
  return (
    <Dialog title={props.title} hints="↑/↓ move · ⏎ choose · type to filter · esc cancel">
      {props.intro}
      {filter.value ? (
        <Text dimColor wrap="truncate-end">
          filter: {singleLine(filter.value)}
        </Text>
      ) : null}
      {rows.map((item, i) => {
        const selected = start + i === pos.cursor;
        return (
          <Box key={item.id}>
            <Text inverse={selected} wrap="truncate-end">
              {selected ? theme.marker : ' '} {singleLine(item.label)}
            </Text>
            {item.hint ? (
              <Text dimColor wrap="truncate-end">
                {' '}
                {singleLine(item.hint)}
              </Text>
            ) : null}
          </Box>
        );
      })}
      {shown.length === 0 ? <Text dimColor>(nothing matches)</Text> : null}
    </Dialog>
  );
}
