// The frame every modal uses: a bordered box with a title and a hint line from its registry.
// It never grows past the rows it is given (the body between header and footer): the title and
// the hint line stay, long content is clipped inside the border, so the box stays a closed
// rectangle and nothing scrolls the header away or leaves stale characters behind.
import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';

export function Dialog(props: {
  title: string;
  hints?: string;
  width?: number;
  children: React.ReactNode;
  danger?: boolean;
  /** Always shown under the content, never clipped (a confirmation's buttons). */
  footer?: React.ReactNode;
}): React.ReactElement {
  const theme = useTheme();
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={props.danger ? theme.error : theme.accent}
      paddingX={1}
      width={props.width}
      flexShrink={1}
      overflow="hidden"
    >
      <Box flexShrink={0}>
        <Text bold color={props.danger ? theme.error : theme.accent} wrap="truncate-end">
          {singleLine(props.title)}
        </Text>
      </Box>
      {/* Clip box: the inner box keeps its natural height (its lines never overlap), the outer
          one shrinks to what is left and hides the rest. */}
      <Box flexDirection="column" flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {props.children}
        </Box>
      </Box>
      {props.footer ? (
        <Box flexShrink={0} flexDirection="column">
          {props.footer}
        </Box>
      ) : null}
      {props.hints ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {singleLine(props.hints)}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
