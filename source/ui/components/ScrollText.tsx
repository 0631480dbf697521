// A fixed-height view of many lines (a diff), scrolled by its owner; untrusted text is sanitised.
import React from 'react';
import { Box, Text } from 'ink';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { useTheme } from '../theme.js';

export function ScrollText(props: {
  lines: string[];
  offset: number;
  height: number;
  diff?: boolean;
}): React.ReactElement {
  const theme = useTheme();
  const offset = Math.max(0, Math.min(props.offset, Math.max(0, props.lines.length - props.height)));
  const shown = props.lines.slice(offset, offset + props.height);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => {
        const color = props.diff
          ? line.startsWith('+')
            ? theme.success
            : line.startsWith('-')
              ? theme.error
              : line.startsWith('@@')
                ? theme.accent
                : undefined
          : undefined;
        return (
          <Text key={offset + i} color={color} wrap="truncate-end">
            {sanitizeForTerminal(line) || ' '}
          </Text>
        );
      })}
      {props.lines.length > props.height ? (
        <Text dimColor>
          lines {offset + 1}-{Math.min(offset + props.height, props.lines.length)} of {props.lines.length}{' '}
          (↑/↓ PgUp/PgDn scroll)
        </Text>
      ) : null}
    </Box>
  );
}

export function scrollBy(offset: number, name: string, total: number, height: number): number {
  const step =
    name === 'up' || name === 'k'
      ? -1
      : name === 'down' || name === 'j'
        ? 1
        : name === 'pageup'
          ? -height
          : name === 'pagedown'
            ? height
            : 0;
  return Math.max(0, Math.min(offset + step, Math.max(0, total - height)));
}
