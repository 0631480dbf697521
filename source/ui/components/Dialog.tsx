// The frame every modal uses: a bordered box with a title and a hint line from its registry.
import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';

export function Dialog(props: { title: string; hints?: string; width?: number; children: React.ReactNode; danger?: boolean }): React.ReactElement {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={props.danger ? theme.error : theme.accent} paddingX={1} width={props.width}>
      <Text bold color={props.danger ? theme.error : theme.accent}>
        {singleLine(props.title)}
      </Text>
      {props.children}
      {props.hints ? <Text dimColor wrap="truncate-end">{singleLine(props.hints)}</Text> : null}
    </Box>
  );
}
