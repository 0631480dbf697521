// Dex local users (staticPasswords): list, reset password, add, remove — staged with the other
// config.yaml edits (DexEdit static.*), live after save and a Dex restart.
import React from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import type { Action } from '../keys.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { filterItems } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import type { StaticPassword } from '../../domain/dexConfig.js';
import { describeHash } from '../../domain/users.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';

export function useStaticUsersScreen(svc: AppServices): ScreenModel {
  const doc = svc.view?.dexDoc;
  const rows = filterItems(
    doc?.staticPasswords() ?? [],
    svc.state.filters.static,
    (s) => `${s.email} ${s.username ?? ''} ${(s.groups ?? []).join(' ')}`,
  );
  const pos = svc.state.positions.static;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  const need = (fn: (s: StaticPassword) => void) => () =>
    selected
      ? fn(selected)
      : svc.dispatch({ type: 'status', status: { level: 'info', message: 'no Dex local user selected' } });
  const actions: Action[] = [
    {
      id: 'password',
      keys: ['p'],
      label: 'reset password',
      dangerous: true,
      run: need((s) =>
        svc.dispatch({ type: 'pushModal', modal: { kind: 'staticPassword', email: s.email } }),
      ),
    },
    {
      id: 'add',
      keys: ['a'],
      label: 'add',
      dangerous: true,
      run: () => svc.dispatch({ type: 'pushModal', modal: { kind: 'staticAdd' } }),
    },
    {
      id: 'remove',
      keys: ['d'],
      label: 'remove',
      dangerous: true,
      run: need((s) => svc.dispatch({ type: 'pushModal', modal: { kind: 'staticRemove', email: s.email } })),
    },
  ];
  const hashText = (s: StaticPassword) => {
    if (s.hashFromEnv) return `env ${s.hashFromEnv}`;
    if (!s.hash) return 'none';
    const d = describeHash(s.hash);
    return d.valid ? `bcrypt ${d.cost ?? ''}` : 'invalid';
  };
  const columns: Column<StaticPassword>[] = [
    { title: 'EMAIL', width: 30, cell: (s) => sanitizeForTerminal(s.email) },
    { title: 'USERNAME', width: 16, cell: (s) => sanitizeForTerminal(s.username ?? '') },
    { title: 'GROUPS', width: 20, cell: (s) => sanitizeForTerminal((s.groups ?? []).join(',')) },
    {
      title: 'HASH',
      width: 12,
      cell: hashText,
      color: (s) => (hashText(s) === 'invalid' ? 'red' : undefined),
    },
  ];
  const body = (
    <Box flexDirection="column">
      {doc && !doc.enablePasswordDB ? (
        <Text color="yellow">enablePasswordDB is false: Dex refuses static passwords without it.</Text>
      ) : null}
      <List
        rows={rows}
        rowId={(s) => `${s.index}:${s.email}`}
        columns={columns}
        position={pos}
        height={svc.listHeight}
        empty="no staticPasswords"
      />
      <Text dimColor>
        Dex local users log in through connector "local"; they are not Epinio user Secrets.
      </Text>
    </Box>
  );
  return {
    actions: [...actions, ...navActions(svc, 'static', rows.length)],
    body,
    count: rows.length,
  };
}
