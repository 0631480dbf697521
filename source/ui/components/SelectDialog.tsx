// Pick one item from a (possibly long) list: windowed, with type-to-filter.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { Dialog } from './Dialog.js';
import { useDialogKeys } from '../input/useDialogKeys.js';
import {
  clampPosition,
  filterItems,
  moveCursor,
  visibleSlice,
  type ListPosition,
} from '../state/listWindow.js';
import { textAction, textState } from '../input/textEdit.js';
import type { Action } from '../keys.js';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';
import { usePlain } from '../plain.js';

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
  /** Actions on the highlighted item besides choosing it (the context picker's production mark). */
  itemActions?: (item: SelectItem | undefined) => Action[];
}): React.ReactElement {
  const theme = useTheme();
  const plain = usePlain();
  const height = props.height ?? 10;
  const [pos, setPos] = useState<ListPosition>({ cursor: 0, offset: 0 });
  const [filter, setFilter] = useState(textState());
  const shown = filterItems(props.items, filter.value, (i) => `${i.label} ${i.hint ?? ''}`);
  const cursor = clampPosition(pos, shown.length, height).cursor;
  // Each move is enabled only where it moves the cursor.
  const step = (key: string, label: string, delta: number, helpOnly = false): Action => ({
    id: key,
    keys: [key],
    label,
    helpOnly,
    enabled: delta < 0 ? cursor > 0 : cursor < shown.length - 1,
    run: () => setPos((p) => moveCursor(p, delta, shown.length, height)),
  });
  const keys = useDialogKeys(
    [
      step('up', 'up', -1),
      step('down', 'down', 1),
      step('pageup', 'page up', -height, true),
      step('pagedown', 'page down', height, true),
      {
        id: 'choose',
        keys: ['enter'],
        label: 'choose',
        enabled: shown.length > 0,
        run: () => props.onSelect(shown[cursor]!),
      },
      {
        ...textAction('filter', filter, (next) => {
          setFilter(next);
          setPos({ cursor: 0, offset: 0 });
        }),
        helpOnly: false,
      },
      { id: 'cancel', keys: ['escape'], label: 'cancel', run: props.onCancel },
      ...(props.itemActions?.(shown[cursor]) ?? []),
    ],
    { textFocused: true },
  );
  const { rows, start } = visibleSlice(shown, pos, height);
  return (
    <Dialog title={props.title} keys={keys}>
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
              {plain ? (selected ? 'selected: ' : '') : `${selected ? theme.marker : ' '} `}
              {singleLine(item.label)}
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
