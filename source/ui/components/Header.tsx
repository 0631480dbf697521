// Where am I and what state am I in: context/cluster, namespace, backend, Epinio semantics,
// READ-ONLY (with the reason), unsaved changes, and the tabs.
import React from 'react';
import { Box, Text } from 'ink';
import { TABS, type TabId } from '../state/appState.js';
import type { Location } from '../../store/types.js';
import { useTheme } from '../theme.js';
import { singleLine } from '../text.js';
import { plainText, usePlain } from '../plain.js';
import { useContextMarks } from '../contextMarks.js';

export function Header(props: {
  location: Location;
  semantics?: string;
  epinioVersion?: string;
  readOnly: { on: boolean; reasons: string[] };
  unsaved: number;
  tab: TabId;
  width: number;
}): React.ReactElement {
  const theme = useTheme();
  const loc = props.location;
  const where =
    loc.backend === 'cluster'
      ? `context ${loc.context ?? '(current)'}${loc.cluster ? ` · ${loc.cluster}` : ''}`
      : `${loc.backend === 'demo' ? 'demo copy' : 'file'} ${loc.file ?? ''}`;
  // The operator's own mark (contextMarks.ts): this context is production.
  const marks = useContextMarks();
  const production = loc.backend === 'cluster' && marks.isProduction(loc.context);
  const plain = usePlain();
  if (plain)
    return (
      <Box flexDirection="column" flexShrink={0}>
        <Text>
          {plainText(
            singleLine(
              [
                `epinio-dex-admin, ${loc.backend}`,
                ...(production ? ['PRODUCTION context'] : []),
                `namespace ${loc.namespace}`,
                ...(props.semantics ? [`${props.semantics} mappings`] : []),
                where,
                ...(props.unsaved ? [`${props.unsaved} unsaved changes`] : []),
                ...(props.readOnly.on ? [`read-only: ${props.readOnly.reasons.join('; ')}`] : []),
              ].join(', '),
            ),
          )}
        </Text>
        <Text>
          tabs: {TABS.map((t) => `${t.key} ${t.label}${t.id === props.tab ? ' (current)' : ''}`).join(', ')}
        </Text>
      </Box>
    );
  return (
    <Box flexDirection="column" width={props.width} flexShrink={0}>
      <Box justifyContent="space-between">
        <Text wrap="truncate-end">
          <Text bold color={theme.accent}>
            epinio-dex-admin
          </Text>{' '}
          {/* Short facts first: the long path or URL is what gets truncated on narrow terminals. */}
          {loc.backend} · ns {singleLine(loc.namespace)}
          {/* Unknown version: the mapping's format decided the semantics, so say only that. */}
          {props.semantics
            ? props.epinioVersion
              ? ` · Epinio ${singleLine(props.epinioVersion)} (${props.semantics})`
              : ` · ${props.semantics} mappings`
            : ''}{' '}
          · {singleLine(where)}
        </Text>
        <Box gap={1} flexShrink={0}>
          {production ? (
            <Text inverse bold color={theme.error}>
              {' PRODUCTION '}
            </Text>
          ) : null}
          {props.unsaved ? (
            <Text color={theme.warning} bold>
              ● unsaved changes ({props.unsaved})
            </Text>
          ) : null}
          {props.readOnly.on ? (
            <Text inverse bold color={theme.error}>
              {' READ-ONLY '}
            </Text>
          ) : null}
        </Box>
      </Box>
      {props.readOnly.on ? (
        <Text dimColor wrap="truncate-end">
          read-only: {props.readOnly.reasons.map(singleLine).join('; ')}
        </Text>
      ) : null}
      <Box gap={2}>
        {TABS.map((t) => (
          <Text key={t.id} inverse={t.id === props.tab} bold={t.id === props.tab}>
            {t.id === props.tab ? theme.marker : ' '}
            {t.key} {t.label}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
