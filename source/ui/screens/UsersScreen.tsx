// Users tab: Epinio user Secrets in a windowed list (5,000 users stay responsive: only visible
// rows render). Password, roles, create and delete write immediately (not staged) with their
// own confirmations; OIDC-created users without a password are explained.
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import { keyHint, KEYS, type Action } from '../keys.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { filterBySearchTexts, searchTexts } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import type { EpinioUser } from '../../domain/users.js';
import { explainUser } from '../../domain/impact.js';
import { explanationLines } from '../../domain/impactExplainText.js';
import { clipLine, singleLine } from '../text.js';

let collator: Intl.Collator | undefined;

/** Orders as localeCompare() does, through one Collator: sorting 5,000 names stays a few ms. */
export function sortUsers(users: readonly EpinioUser[], sort: string): EpinioUser[] {
  const copy = [...users];
  const compare = (collator ??= new Intl.Collator()).compare;
  if (sort === 'name') copy.sort((a, b) => compare(a.username, b.username));
  if (sort === 'roles') {
    const roles = new Map(copy.map((u) => [u, u.roles.join(',')]));
    copy.sort((a, b) => compare(roles.get(a)!, roles.get(b)!) || compare(a.username, b.username));
  }
  return copy;
}

const searchText = (u: EpinioUser): string => `${u.username} ${u.roles.join(' ')} ${u.namespaces.join(' ')}`;

export function useUsersScreen(svc: AppServices): ScreenModel {
  const users = svc.view?.users;
  const filter = svc.state.filters.users;
  const sort = svc.state.sorts.users;
  // Sorted and indexed once per load or sort; a filter keystroke is then one pass of includes().
  const sorted = useMemo(() => sortUsers(users ?? [], sort), [users, sort]);
  const texts = useMemo(() => searchTexts(sorted, searchText), [sorted]);
  const rows = useMemo(() => filterBySearchTexts(sorted, texts, filter), [sorted, texts, filter]);
  const pos = svc.state.positions.users;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  const need = (fn: (u: EpinioUser) => void) => () =>
    selected
      ? fn(selected)
      : svc.dispatch({ type: 'status', status: { level: 'info', message: 'no user selected' } });
  const push = (modal: Parameters<typeof svc.dispatch>[0]) => svc.dispatch(modal);
  const actions: Action[] = [
    {
      id: 'detail',
      keys: ['enter'],
      label: 'details',
      run: need((u) => push({ type: 'pushModal', modal: { kind: 'userDetail', secretName: u.secretName } })),
    },
    {
      id: 'password',
      keys: [...KEYS.password],
      label: 'reset password',
      dangerous: true,
      run: need((u) =>
        push({ type: 'pushModal', modal: { kind: 'userPassword', secretName: u.secretName } }),
      ),
    },
    {
      id: 'roles',
      keys: ['r'],
      label: 'edit roles',
      dangerous: true,
      run: need((u) => push({ type: 'pushModal', modal: { kind: 'userRoles', secretName: u.secretName } })),
    },
    {
      id: 'create',
      keys: ['a'],
      label: 'create',
      dangerous: true,
      run: () => push({ type: 'pushModal', modal: { kind: 'userCreate' } }),
    },
    {
      id: 'delete',
      keys: ['D'],
      label: 'delete',
      dangerous: true,
      run: need((u) => push({ type: 'pushModal', modal: { kind: 'userDelete', secretName: u.secretName } })),
    },
    {
      id: 'explain',
      keys: [...KEYS.explain],
      label: 'explain roles',
      run: need((u) =>
        push({
          type: 'pushModal',
          modal: {
            kind: 'message',
            title: `Explain ${singleLine(u.username)}`,
            lines: explainLines(svc, u.username),
          },
        }),
      ),
    },
    {
      id: 'sort',
      keys: ['s'],
      label: `sort (${sort})`,
      helpOnly: true,
      run: () => svc.dispatch({ type: 'cycleSort', tab: 'users' }),
    },
  ];
  const columns: Column<EpinioUser>[] = [
    { title: 'USERNAME', width: 30, cell: (u) => singleLine(u.username) },
    { title: 'ROLES', width: 26, cell: (u) => singleLine(u.roles.join(',')) || '(none)' },
    { title: 'NAMESPACES', width: 14, cell: (u) => singleLine(u.namespaces.join(',')) },
    {
      title: 'PASSWORD',
      width: 8,
      cell: (u) => (u.hasPassword ? (u.passwordScheme?.valid === false ? 'invalid' : 'set') : 'none'),
    },
    {
      title: 'FLAGS',
      width: 14,
      cell: (u) => [u.duplicate ? 'DUPLICATE' : '', u.helmManaged ? 'helm' : ''].filter(Boolean).join(' '),
      color: (u) => (u.duplicate ? 'red' : undefined),
    },
  ];
  const body = (
    <Box flexDirection="column">
      <Text dimColor>
        {rows.length} of {users?.length ?? 0} users{filter ? ` · filter "${singleLine(filter)}"` : ''} · sort{' '}
        {sort}
      </Text>
      <List
        rows={rows}
        rowId={(u) => u.secretName}
        columns={columns}
        position={pos}
        height={svc.listHeight}
        empty="no user Secrets (label epinio.io/api-user-credentials=true)"
      />
      {selected ? (
        <Box flexDirection="column" marginTop={1}>
          {!selected.hasPassword ? (
            <Text color="yellow" wrap="truncate-end">
              ! {clipLine(selected.username, 40)} has no password: it can only log in through Dex until a
              password is set ({keyHint('password')}).
            </Text>
          ) : null}
          {selected.duplicate ? (
            <Text color="red">
              ✗ another Secret has the same username: Epinio rejects this user until one is deleted.
            </Text>
          ) : null}
          {selected.problems.slice(0, 2).map((p, i) => (
            <Text key={i} color={p.severity === 'error' ? 'red' : 'yellow'} wrap="truncate-end">
              {p.severity === 'error' ? '✗' : '!'} {clipLine(p.message)}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
  return {
    actions: [...actions, ...navActions(svc, 'users', rows.length)],
    body,
    count: rows.length,
  };
}

/** The Explain dialog's lines: explainUser on the view's saved state and draft (domain/impact.ts). */
export function explainLines(svc: AppServices, username: string): string[] {
  if (!svc.view) return ['nothing loaded'];
  const { saved, draft, ctx, logins } = svc.view.impactInput;
  return explanationLines(explainUser(saved, draft, ctx, logins ?? [], username), svc.loginsNote);
}
