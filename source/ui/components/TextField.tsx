// A presentational text field: the owning dialog feeds keys through editText (input/textEdit.ts).
import React from 'react';
import { Box, Text } from 'ink';
import type { TextState } from '../input/textEdit.js';
import { useTheme } from '../theme.js';

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
  const shown = props.mask ? '•'.repeat([...props.state.value].length) : props.state.value;
  const before = shown.slice(0, props.state.cursor);
  const at = shown.slice(props.state.cursor, props.state.cursor + 1) || ' ';
  const after = shown.slice(props.state.cursor + 1);
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold={props.focused}>
          {props.focused ? theme.marker : ' '} {props.label}
          {props.required ? ' *' : ''}:{' '}
        </Text>
        {props.focused ? (
          <Text>
            {before}
            <Text inverse>{at}</Text>
            {after}
          </Text>
        ) : (
          <Text dimColor={!shown}>{shown || props.placeholder || ''}</Text>
        )}
      </Box>
      {props.error ? (
        <Text color={theme.error}>
          {'    '}✗ {props.error}
        </Text>
      ) : null}
    </Box>
  );
}
