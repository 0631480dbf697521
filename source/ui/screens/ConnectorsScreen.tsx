// Connectors tab: Dex order, problem counts from validation, detail, add/edit (schema form),
// delete with mapping impact, move, rename, raw YAML edit in $EDITOR.
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import { KEYS, moveActions, type Action } from '../keys.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { filterItems } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import { problemsForConnector } from '../../domain/workspace.js';
import { DexConfigDocument, applyDexEdits, type Connector } from '../../domain/dexConfig.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { editUntilValid } from '../editor.js';

interface Row {
  c: Connector;
  errors: number;
  warnings: number;
}

export function useConnectorsScreen(svc: AppServices): ScreenModel {
  const view = svc.view;
  const all = useMemo<Row[]>(
    () =>
      (view?.dexDoc?.connectors() ?? []).map((c) => {
        const ps = problemsForConnector(view!.dexProblems, c.index);
        return {
          c,
          errors: ps.filter((p) => p.severity === 'error').length,
          warnings: ps.filter((p) => p.severity === 'warning').length,
        };
      }),
    [view],
  );
  const rows = filterItems(all, svc.state.filters.connectors, (r) => `${r.c.id} ${r.c.type} ${r.c.name}`);
  const pos = svc.state.positions.connectors;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  const open = (modal: Parameters<typeof svc.dispatch>[0]) => svc.dispatch(modal);
  const need = (fn: (r: Row) => void) => () =>
    selected
      ? fn(selected)
      : svc.dispatch({ type: 'status', status: { level: 'info', message: 'no connector selected' } });
  const move = (delta: number) =>
    need((r) => {
      const to = r.c.index + delta;
      if (to < 0 || to >= all.length) return;
      const err = svc.stage(`move connector ${r.c.id} ${delta < 0 ? 'up' : 'down'}`, [
        { op: 'connector.move', id: r.c.id, to },
      ]);
      if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
      else
        svc.dispatch({ type: 'move', tab: 'connectors', delta, total: rows.length, height: svc.listHeight });
    })();
  const rawEdit = need((r) => {
    const doc = view?.dexDoc;
    if (!doc) return;
    const validate = (text: string): string[] => {
      try {
        const next = applyDexEdits(view!.config, [{ op: 'connector.replace', id: r.c.id, yaml: text }]);
        DexConfigDocument.parse(next);
        return [];
      } catch (err) {
        return [(err as Error).message];
      }
    };
    const text = editUntilValid(svc.editor, doc.connectorYaml(r.c.id), '.yaml', validate);
    if (text === null)
      return svc.dispatch({
        type: 'status',
        status: { level: 'info', message: 'editor closed without changes; nothing staged' },
      });
    const err = svc.stage(`edit connector ${r.c.id} as YAML`, [
      { op: 'connector.replace', id: r.c.id, yaml: text },
    ]);
    if (err) svc.dispatch({ type: 'status', status: { level: 'error', message: err } });
  });

  const actions: Action[] = [
    {
      id: 'detail',
      keys: ['enter'],
      label: 'details',
      run: need((r) => open({ type: 'pushModal', modal: { kind: 'connectorDetail', id: r.c.id } })),
    },
    {
      id: 'add',
      keys: ['a'],
      label: 'add',
      dangerous: true,
      run: () => open({ type: 'pushModal', modal: { kind: 'connectorType' } }),
    },
    {
      id: 'edit',
      keys: ['e'],
      label: 'edit',
      dangerous: true,
      run: need((r) =>
        open({ type: 'pushModal', modal: { kind: 'connectorForm', type: r.c.type, editId: r.c.id } }),
      ),
    },
    {
      id: 'raw',
      keys: [...KEYS.rawEdit],
      label: 'edit YAML in $EDITOR',
      dangerous: true,
      helpOnly: true,
      run: rawEdit,
    },
    {
      id: 'rename',
      keys: [...KEYS.rename],
      label: 'rename id',
      dangerous: true,
      helpOnly: true,
      run: need((r) => open({ type: 'pushModal', modal: { kind: 'connectorRename', id: r.c.id } })),
    },
    {
      id: 'delete',
      keys: ['d'],
      label: 'delete',
      dangerous: true,
      run: need((r) => open({ type: 'pushModal', modal: { kind: 'connectorDelete', id: r.c.id } })),
    },
    ...moveActions(move, {
      up: Boolean(selected && selected.c.index > 0),
      down: Boolean(selected && selected.c.index < all.length - 1),
    }),
  ];

  const columns: Column<Row>[] = [
    { title: '#', width: 3, cell: (r) => String(r.c.index + 1) },
    { title: 'ID', width: 20, cell: (r) => sanitizeForTerminal(r.c.id) },
    { title: 'TYPE', width: 16, cell: (r) => sanitizeForTerminal(r.c.type) },
    { title: 'NAME', width: 24, cell: (r) => sanitizeForTerminal(r.c.name) },
    {
      title: 'PROBLEMS',
      width: 16,
      cell: (r) =>
        r.errors || r.warnings
          ? `${r.errors ? `${r.errors} error${r.errors > 1 ? 's' : ''}` : ''}${r.errors && r.warnings ? ', ' : ''}${r.warnings ? `${r.warnings} warn` : ''}`
          : 'ok',
      color: (r) => (r.errors ? 'red' : r.warnings ? 'yellow' : 'green'),
    },
  ];
  const problems = selected ? problemsForConnector(view?.dexProblems ?? [], selected.c.index) : [];
  const body = (
    <Box flexDirection="column">
      {view?.dexParseError ? (
        <Text color="red">✗ config.yaml: {sanitizeForTerminal(view.dexParseError)}</Text>
      ) : null}
      {svc.state.filters.connectors ? <Text dimColor>filter: {svc.state.filters.connectors}</Text> : null}
      <List
        rows={rows}
        rowId={(r) => `${r.c.index}:${r.c.id}`}
        columns={columns}
        position={pos}
        height={svc.listHeight}
        empty={
          view?.dexDoc?.enablePasswordDB
            ? 'no connectors: only the password DB (local) is active'
            : 'no connectors'
        }
      />
      <Box flexDirection="column" marginTop={1}>
        {problems.slice(0, 4).map((p, i) => (
          <Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="truncate-end">
            {p.severity === 'error' ? '✗' : '!'} {sanitizeForTerminal(p.message)}
          </Text>
        ))}
        {view?.dexDoc?.enablePasswordDB ? (
          <Text dimColor>password DB on: connector id "local" (Dex local users tab)</Text>
        ) : null}
      </Box>
    </Box>
  );
  return {
    actions: [...actions, ...navActions(svc, 'connectors', rows.length)],
    body,
    count: rows.length,
  };
}
