// Role mappings tab: entries in order, each expanded to its groups and roles; problems inline;
// one-key conversion of legacy/map forms to the modern format; the simulate panel.
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import { keyHint, KEYS, moveActions, type Action } from '../keys.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { filterItems } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import { problemsForMapping } from '../../domain/workspace.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import type { MappingEdit } from '../../domain/rolesMapping.js';

export interface MappingRow {
  key: string;
  entry: number;
  group?: number;
  connectorId: string;
  groupId?: string;
  roles?: string[];
  legacyRole?: string;
  groupCount?: number;
}

export function mappingRows(
  entries: readonly { connectorId: string; groups: { id: string; roles: string[]; legacyRole?: string }[] }[],
): MappingRow[] {
  return entries.flatMap((e, ei) => [
    { key: `e${ei}`, entry: ei, connectorId: e.connectorId, groupCount: e.groups.length },
    ...e.groups.map((g, gi) => ({
      key: `e${ei}g${gi}`,
      entry: ei,
      group: gi,
      connectorId: e.connectorId,
      groupId: g.id,
      roles: g.roles,
      legacyRole: g.legacyRole,
    })),
  ]);
}

export function useMappingsScreen(svc: AppServices): ScreenModel {
  const view = svc.view;
  const all = useMemo(() => mappingRows(view?.mappingDoc.entries() ?? []), [view]);
  const rows = filterItems(
    all,
    svc.state.filters.mappings,
    (r) => `${r.connectorId} ${r.groupId ?? ''} ${(r.roles ?? []).join(' ')}`,
  );
  const pos = svc.state.positions.mappings;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  const problems = view ? view.mappingProblems : [];
  const fixable =
    problems.some((p) => p.fix === 'mapping.convert-to-modern') ||
    view?.mappingDoc.format === 'legacy' ||
    view?.mappingDoc.format === 'mixed';
  const stage = (label: string, edits: MappingEdit[]) => {
    const err = svc.stage(label, [], edits);
    if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
  };
  const need = (fn: (r: MappingRow) => void) => () =>
    selected
      ? fn(selected)
      : svc.dispatch({ type: 'status', status: { level: 'info', message: 'nothing selected' } });
  const push = (modal: Parameters<typeof svc.dispatch>[0]) => svc.dispatch(modal);
  const entries = view?.mappingDoc.entries() ?? [];
  const move = (delta: number) =>
    need((r) => {
      if (r.group === undefined) {
        const to = r.entry + delta;
        if (to < 0 || to >= entries.length) return;
        stage(`move mapping entry ${r.connectorId} ${delta < 0 ? 'up' : 'down'}`, [
          { op: 'entry.move', from: r.entry, to },
        ]);
      } else {
        const to = r.group + delta;
        if (to < 0 || to >= entries[r.entry]!.groups.length) return;
        stage(`move group ${r.groupId} ${delta < 0 ? 'up' : 'down'}`, [
          { op: 'group.move', entry: r.entry, from: r.group, to },
        ]);
      }
    })();
  const actions: Action[] = [
    {
      id: 'add',
      keys: [...KEYS.addEntry],
      label: 'add entry',
      dangerous: true,
      run: () => push({ type: 'pushModal', modal: { kind: 'mappingEntry' } }),
    },
    {
      id: 'group',
      keys: ['g'],
      label: 'add group',
      dangerous: true,
      run: need((r) => push({ type: 'pushModal', modal: { kind: 'mappingGroup', entry: r.entry } })),
    },
    {
      id: 'edit',
      keys: ['e', 'enter'],
      label: 'edit',
      dangerous: true,
      run: need((r) =>
        push({
          type: 'pushModal',
          modal:
            r.group === undefined
              ? { kind: 'mappingEntry', index: r.entry }
              : { kind: 'mappingGroup', entry: r.entry, group: r.group },
        }),
      ),
    },
    {
      id: 'delete',
      keys: ['d'],
      label: 'delete',
      dangerous: true,
      run: need((r) =>
        push({ type: 'pushModal', modal: { kind: 'mappingDelete', entry: r.entry, group: r.group } }),
      ),
    },
    ...moveActions(move, {
      up: Boolean(selected && (selected.group ?? selected.entry) > 0),
      down: Boolean(
        selected &&
        (selected.group === undefined
          ? selected.entry < entries.length - 1
          : selected.group < entries[selected.entry]!.groups.length - 1),
      ),
    }),
    ...(fixable
      ? [
          {
            id: 'fix',
            keys: [...KEYS.convert],
            label: 'convert to modern',
            dangerous: true,
            run: () => stage('convert rolesMapping to the modern format', [{ op: 'fix.convertToModern' }]),
          },
        ]
      : []),
    {
      id: 'simulate',
      keys: ['S'],
      label: 'simulate login',
      run: () => push({ type: 'pushModal', modal: { kind: 'simulate' } }),
    },
  ];
  const columns: Column<MappingRow>[] = [
    {
      title: 'CONNECTOR / GROUP',
      width: 40,
      cell: (r) =>
        r.group === undefined
          ? `${sanitizeForTerminal(r.connectorId)} (${r.groupCount} group${r.groupCount === 1 ? '' : 's'})`
          : `  └ ${sanitizeForTerminal(r.groupId ?? '')}`,
    },
    {
      title: 'ROLES',
      width: 32,
      cell: (r) =>
        r.group === undefined
          ? ''
          : r.roles?.length
            ? sanitizeForTerminal(r.roles.join(', '))
            : r.legacyRole
              ? `legacy role: ${sanitizeForTerminal(r.legacyRole)} (ignored)`
              : '(none)',
    },
    {
      title: 'PROBLEMS',
      width: 10,
      cell: (r) => {
        const n = problemsForMapping(view?.mappingProblems ?? [], r.entry, r.group).length;
        return n ? `${n}` : '';
      },
      color: () => 'yellow',
    },
  ];
  const selectedProblems = selected
    ? problemsForMapping(view?.mappingProblems ?? [], selected.entry, selected.group)
    : [];
  const body = (
    <Box flexDirection="column">
      <Text dimColor>
        format {view?.mappingDoc.format ?? '?'} · Epinio semantics {view?.semantics ?? '?'} · rolesMapping
        changes need no restart
      </Text>
      {view?.mappingDoc.fatal.map((p, i) => (
        <Text key={i} color="red" wrap="truncate-end">
          ✗ {sanitizeForTerminal(p.message)}
          {fixable ? ` (${keyHint('convert')} converts)` : ''}
        </Text>
      ))}
      <List
        rows={rows}
        rowId={(r) => r.key}
        columns={columns}
        position={pos}
        height={svc.listHeight}
        empty={`no mapping entries (${keyHint('addEntry')} adds one)`}
      />
      <Box flexDirection="column" marginTop={1}>
        {selectedProblems.slice(0, 3).map((p, i) => (
          <Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="truncate-end">
            {p.severity === 'error' ? '✗' : '!'} {sanitizeForTerminal(p.message)}
            {p.fix ? ` (${keyHint('convert')} fixes)` : ''}
          </Text>
        ))}
      </Box>
    </Box>
  );
  return {
    actions: [...actions, ...navActions(svc, 'mappings', rows.length)],
    body,
    count: rows.length,
  };
}
