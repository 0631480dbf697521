// A fixed-height view of many lines (a diff), scrolled by its owner through scrollActions;
// untrusted text is sanitised.
import React from 'react';
import type { Action } from '../keys.js';
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
          lines {offset + 1}-{Math.min(offset + props.height, props.lines.length)} of {props.lines.length}
        </Text>
      ) : null}
    </Box>
  );
}

/** Scrolling as registry entries, each enabled only while it can move the view. */
export function scrollActions(
  offset: number,
  setOffset: (offset: number) => void,
  total: number,
  height: number,
): Action[] {
  const max = Math.max(0, total - height);
  const at = Math.max(0, Math.min(offset, max));
  const to = (o: number) => () => setOffset(Math.max(0, Math.min(o, max)));
  return [
    {
      id: 'scroll-up',
      keys: ['up', 'k'],
      label: 'scroll up',
      helpOnly: true,
      enabled: at > 0,
      run: to(at - 1),
    },
    {
      id: 'scroll-down',
      keys: ['down', 'j'],
      label: 'scroll down',
      helpOnly: true,
      enabled: at < max,
      run: to(at + 1),
    },
    {
      id: 'page-up',
      keys: ['pageup'],
      label: 'page up',
      helpOnly: true,
      enabled: at > 0,
      run: to(at - height),
    },
    {
      id: 'page-down',
      keys: ['pagedown'],
      label: 'page down',
      helpOnly: true,
      enabled: at < max,
      run: to(at + height),
    },
  ];
}
