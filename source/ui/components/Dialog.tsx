// The frame every modal uses: a bordered box with a title and a hint line from its registry
// (useDialogKeys); while the dialog's help is open, the same box lists its keys instead.
// It never grows past the rows it is given (the body between header and footer): the title and
// the hint line stay, long content is clipped inside the border, so the box stays a closed
// rectangle and nothing scrolls the header away or leaves stale characters behind.
import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';
import type { DialogKeys } from '../input/useDialogKeys.js';
import { plainText, usePlain } from '../plain.js';

/** Help rows: the keys column as wide as its widest entry (a long one, a text field's editing keys, overhangs). */
export function KeyRows(props: { rows: readonly { keys: string; label: string }[] }): React.ReactElement {
  const plain = usePlain();
  if (plain)
    return (
      <>
        {props.rows.map((r) => (
          <Text key={r.keys + r.label}>{plainText(`${r.keys}: ${r.label}`)}</Text>
        ))}
      </>
    );
  const width = Math.max(...props.rows.map((r) => r.keys.length).filter((n) => n <= 14), 4);
  return (
    <>
      {props.rows.map((r) => (
        <Box key={r.keys + r.label}>
          <Box flexShrink={0}>
            <Text bold>{`${r.keys.padEnd(width)}  `}</Text>
          </Box>
          <Text wrap="truncate-end">{r.label}</Text>
        </Box>
      ))}
    </>
  );
}

export function Dialog(props: {
  title: string;
  /** The dialog's registry: the hint line, and its help while open. */
  keys?: DialogKeys;
  /** Shown instead of key hints while no key does anything (hashing…, waiting…). */
  note?: string;
  width?: number;
  children: React.ReactNode;
  danger?: boolean;
  /** Always shown under the content, never clipped (a confirmation's buttons). */
  footer?: React.ReactNode;
}): React.ReactElement {
  const theme = useTheme();
  const plain = usePlain();
  const help = props.keys?.helpOpen;
  const hints = props.keys?.actions.length ? props.keys.hints : props.note;
  if (plain) return <PlainDialog {...props} help={help} hints={hints} />;
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
          {singleLine(help ? `Keys: ${props.title}` : props.title)}
        </Text>
      </Box>
      {/* Clip box: the inner box keeps its natural height (its lines never overlap), the outer
          one shrinks to what is left and hides the rest. */}
      <Box flexDirection="column" flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {help ? <KeyRows rows={props.keys!.rows} /> : props.children}
        </Box>
      </Box>
      {props.footer && !help ? (
        <Box flexShrink={0} flexDirection="column">
          {props.footer}
        </Box>
      ) : null}
      {hints ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {singleLine(hints)}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** Plain mode: the same parts in reading order, as lines; no border, the title says what it is. */
function PlainDialog(props: {
  title: string;
  keys?: DialogKeys;
  help?: boolean;
  hints?: string;
  danger?: boolean;
  children: React.ReactNode;
  footer?: React.ReactNode;
}): React.ReactElement {
  return (
    <Box flexDirection="column" flexShrink={1} overflow="hidden">
      <Text>
        {plainText(
          singleLine(
            `${props.danger ? 'warning, ' : ''}dialog: ${props.help ? `keys of ${props.title}` : props.title}`,
          ),
        )}
      </Text>
      <Box flexDirection="column" flexShrink={0}>
        {props.help ? <KeyRows rows={props.keys!.rows} /> : props.children}
      </Box>
      {props.footer && !props.help ? <Box flexDirection="column">{props.footer}</Box> : null}
      {props.hints ? <Text>{plainText(`keys: ${singleLine(props.hints)}`)}</Text> : null}
    </Box>
  );
}
