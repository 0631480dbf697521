// Logins tab: who logged in through Dex and with which groups, read from Dex's own storage
// (useLogins), next to the Epinio user Secret each identity is. Read-only. When the logins cannot be
// read (no Dex Kubernetes storage, another storage type, RBAC) the body says why in one line and
// what to do in a second; every value from the IdPs passes the sanitizer before it is drawn.
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { filterBySearchTexts, searchTexts } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import { useLogins } from '../hooks/useLogins.js';
import {
  NO_LOGINS,
  NO_LOGINS_HINT,
  formatLoginTime,
  loginName,
  loginUser,
  type LoginUser,
} from '../../domain/logins.js';
import type { Login } from '../../domain/objects.js';
import { clipLine, singleLine } from '../text.js';

interface Row {
  login: Login;
  user: LoginUser | undefined;
}

const searchText = (r: Row): string =>
  `${r.login.connectorId} ${loginName(r.login)} ${r.login.username} ${r.login.groups.join(' ')}`;

export function useLoginsScreen(svc: AppServices): ScreenModel {
  const logins = useLogins(svc.store, svc.state.snapshot);
  const users = svc.view?.users;
  const filter = svc.state.filters.logins;
  const all = useMemo<Row[]>(
    () =>
      logins.status === 'ready'
        ? logins.logins.map((login) => ({ login, user: loginUser(login, users ?? []) }))
        : [],
    [logins, users],
  );
  const texts = useMemo(() => searchTexts(all, searchText), [all]);
  const rows = useMemo(() => filterBySearchTexts(all, texts, filter), [all, texts, filter]);
  const pos = svc.state.positions.logins;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  // Fixed columns for the short values; email and groups share what the terminal has left.
  const rest = Math.max(20, svc.width - 2 - 4 - 12 - 17 - 8);
  const nameWidth = Math.ceil(rest * 0.5);
  const columns: Column<Row>[] = [
    { title: 'CONNECTOR', width: 12, cell: (r) => singleLine(r.login.connectorId) },
    { title: 'EMAIL / USERNAME', width: nameWidth, cell: (r) => singleLine(loginName(r.login)) },
    {
      title: 'GROUPS',
      width: rest - nameWidth,
      cell: (r) => singleLine(r.login.groups.join(',')) || '(none)',
    },
    { title: 'LAST USED', width: 17, cell: (r) => formatLoginTime(r.login.lastUsed) },
    {
      title: 'USER',
      width: 8,
      cell: (r) => (r.user ? (r.user.exists ? 'secret' : 'new') : 'no email'),
      color: (r) => (r.user?.exists ? undefined : 'yellow'),
    },
  ];
  let body: React.ReactElement;
  if (logins.status === 'loading') {
    body = <Text dimColor>reading logins from Dex&apos;s storage…</Text>;
  } else if (logins.status === 'unavailable') {
    body = (
      <Box flexDirection="column">
        {/* Wrapped, not cut: the reason and the Role rule are the whole point of this state. */}
        <Text color={logins.noStorage ? 'yellow' : 'red'}>
          {logins.noStorage ? '!' : '✗'} logins unavailable: {clipLine(logins.reason, 400)}
        </Text>
        {logins.hint ? <Text>→ {clipLine(logins.hint, 400)}</Text> : null}
      </Box>
    );
  } else if (!all.length) {
    body = (
      <Box flexDirection="column">
        <Text>{NO_LOGINS}</Text>
        <Text dimColor wrap="truncate-end">
          → {NO_LOGINS_HINT}
        </Text>
      </Box>
    );
  } else {
    body = (
      <Box flexDirection="column">
        <Text dimColor>
          {rows.length} of {all.length} identities seen by Dex
          {filter ? ` · filter "${singleLine(filter)}"` : ''} · groups of each one&apos;s latest login
        </Text>
        <List
          rows={rows}
          rowId={(r) => `${r.login.connectorId}\u0000${r.login.userId}\u0000${loginName(r.login)}`}
          columns={columns}
          position={pos}
          height={svc.listHeight}
          empty="no login matches the filter"
        />
        {selected ? <LoginDetail row={selected} /> : null}
      </Box>
    );
  }
  return {
    actions: navActions(svc, 'logins', rows.length),
    body,
    count: rows.length,
  };
}

function LoginDetail({ row }: { row: Row }): React.ReactElement {
  const { login, user } = row;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end">
        {clipLine(loginName(login), 60)} · connector {clipLine(login.connectorId, 30)} · user id{' '}
        {clipLine(login.userId, 40)}
        {login.username && login.username !== loginName(login)
          ? ` · username ${clipLine(login.username, 30)}`
          : ''}
        {login.clientId ? ` · client ${clipLine(login.clientId, 20)}` : ''}
      </Text>
      <Text wrap="truncate-end">groups: {clipLine(login.groups.join(', '), 300) || '(none)'}</Text>
      {user?.exists ? (
        <Text wrap="truncate-end">
          Epinio user Secret {clipLine(user.secretName, 80)} · roles now:{' '}
          {clipLine(user.user?.roles.join(',') ?? '', 80) || '(none)'}
        </Text>
      ) : user ? (
        <Text color="yellow" wrap="truncate-end">
          ! no user Secret yet: epinio-server creates it at this identity&apos;s next request as{' '}
          {clipLine(user.secretName, 80)}
        </Text>
      ) : (
        <Text color="yellow" wrap="truncate-end">
          ! no email claim: Epinio names OIDC users by email, so this identity cannot use Epinio
        </Text>
      )}
    </Box>
  );
}
