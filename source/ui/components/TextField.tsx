// A presentational text field: the owning dialog feeds keys through editText (input/textEdit.ts).
// The edited value may hold anything a cluster stored (a dialog pre-fills from cluster data), so
// what is drawn is sanitized on one line: escape sequences never reach the terminal, and the
// drawn text has the width the layout measured (no border pushed out of place).
import React from 'react';
import { Box, Text } from 'ink';
import type { TextState } from '../input/textEdit.js';
import { useTheme } from '../theme.js';
import { firstGrapheme, singleLine } from '../text.js';
import { plainText, usePlain } from '../plain.js';

/** What the field draws: the text before the cursor, the character under it, the rest. */
export function fieldDisplay(
  state: TextState,
  mask = false,
): { before: string; at: string; after: string; shown: string; empty: boolean } {
  const value = state.value;
  const cursor = Math.max(0, Math.min(state.cursor, value.length));
  const draw = (s: string) => (mask ? '•'.repeat([...s].length) : singleLine(s));
  const rest = value.slice(cursor);
  // The cursor cell is one whole character of what is drawn (a control there draws as nothing).
  const restShown = draw(rest);
  const first = firstGrapheme(restShown);
  return {
    before: draw(value.slice(0, cursor)),
    at: first || ' ',
    after: restShown.slice(first.length),
    shown: draw(value),
    empty: value === '',
  };
}

export function TextField(props: {
  label: string;
  state: TextState;
  focused: boolean;
  mask?: boolean;
  required?: boolean;
  error?: string;
  placeholder?: string;
  width?: number;
}): React.ReactElement {
  const theme = useTheme();
  const plain = usePlain();
  const d = fieldDisplay(props.state, props.mask);
  if (plain) {
    // Spoken: which field, whether it has focus, and its value (a masked one only by its length).
    const chars = [...props.state.value].length;
    const value = props.mask
      ? `hidden, ${chars} character${chars === 1 ? '' : 's'}`
      : d.empty
        ? 'empty'
        : d.shown;
    return (
      <Box flexDirection="column">
        <Text>
          {props.focused ? 'focused field ' : 'field '}
          {singleLine(props.label)}
          {props.required ? ', required' : ''}: {value}
        </Text>
        {props.error ? <Text>{plainText(`error: ${singleLine(props.error)}`)}</Text> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text bold={props.focused}>
            {props.focused ? theme.marker : ' '} {singleLine(props.label)}
            {props.required ? ' *' : ''}:{' '}
          </Text>
        </Box>
        {props.focused ? (
          <Text wrap="wrap">
            {d.before}
            <Text inverse>{d.at}</Text>
            {d.after}
          </Text>
        ) : (
          <Text dimColor={d.empty} wrap="wrap">
            {d.empty ? singleLine(props.placeholder ?? '') : d.shown}
          </Text>
        )}
      </Box>
      {props.error ? (
        <Text color={theme.error} wrap="wrap">
          {'    '}✗ {singleLine(props.error)}
        </Text>
      ) : null}
    </Box>
  );
}
