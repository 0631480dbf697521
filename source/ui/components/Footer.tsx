// Status line (last result, errors with their hint) and key hints from the registry.
import React from 'react';
import { Box, Text } from 'ink';
import type { Status } from '../state/appState.js';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';
import { plainText, usePlain } from '../plain.js';
import { Announcements } from './Announcements.js';

export function Footer(props: { status: Status | null; hints: string; width: number }): React.ReactElement {
  const theme = useTheme();
  const plain = usePlain();
  const s = props.status;
  if (plain)
    return (
      <Box flexDirection="column" flexShrink={0}>
        <Announcements status={s} />
        {s ? <Text>{plainText(`status, ${s.level}: ${singleLine(s.message)}`)}</Text> : null}
        {s?.hint ? <Text>{plainText(`what to do: ${singleLine(s.hint)}`)}</Text> : null}
        <Text>{plainText(`keys: ${singleLine(props.hints)}`)}</Text>
      </Box>
    );
  const color = s
    ? { info: theme.accent, success: theme.success, warning: theme.warning, error: theme.error }[s.level]
    : undefined;
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0}>
      {s ? (
        <Text color={color} wrap="truncate-end">
          {s.level === 'error' ? '✗ ' : s.level === 'success' ? '✓ ' : ''}
          {singleLine(s.message)}
        </Text>
      ) : (
        <Text> </Text>
      )}
      {s?.hint ? (
        <Text dimColor wrap="truncate-end">
          → {singleLine(s.hint)}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {singleLine(props.hints)}
      </Text>
    </Box>
  );
}
