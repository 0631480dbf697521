// The History screen: the revisions of dex-config newest first (from the shared Secret
// dex-config-history, or this run's in file and demo modes), enter shows one with its masked diff,
// r rolls one back and A re-applies the tool's revisions after a helm upgrade, each through a
// confirmation with the diff and the problems of the result (dialogs/HistoryDialogs.tsx).
import React from 'react';
import { Box, Text } from 'ink';
import type { AppServices } from '../appContext.js';
import { KEYS, keyHint, type Action } from '../keys.js';
import type { ScreenModel } from './types.js';
import { List, type Column } from '../components/List.js';
import { TABS } from '../state/appState.js';
import { filterItems } from '../state/listWindow.js';
import { navActions } from './useListNav.js';
import { detectHelmRender, type HelmRender } from '../../domain/helmRender.js';
import type { Revision } from '../../domain/history.js';
import { planReapply } from '../../domain/historyReapply.js';
import { sanitizeForTerminal } from '../../domain/sanitize.js';
import { useTheme } from '../theme.js';

/** The Helm re-render of the loaded dex-config, when the history says the tool's revisions were lost. */
export function helmRenderOf(svc: {
  state: Pick<AppServices['state'], 'snapshot' | 'history'>;
}): (HelmRender & { revisions: number[] }) | undefined {
  const { snapshot, history } = svc.state;
  if (!snapshot || !history) return undefined;
  // Every render asks (banner and layout): the plan parses each revision, so the last answer is kept.
  if (cache.snapshot === snapshot && cache.history === history) return cache.value;
  const render = detectHelmRender(snapshot.dexConfig, history.doc);
  const plan = render && planReapply(history.doc, snapshot.dexConfig.data);
  const value = render && plan?.revisions.length ? { ...render, revisions: plan.revisions } : undefined;
  Object.assign(cache, { snapshot, history, value });
  return value;
}

// The tab's key as the header shows it (the Logins tab moved History from 5 to 6).
const HISTORY_TAB = TABS.find((t) => t.id === 'history')!.key;

const cache: { snapshot?: unknown; history?: unknown; value?: HelmRender & { revisions: number[] } } = {};

/** One line under the header while a helm upgrade dropped the tool's revisions. */
export function HelmBanner(props: { svc: AppServices }): React.ReactElement | null {
  const theme = useTheme();
  const render = helmRenderOf(props.svc);
  if (!render) return null;
  return (
    <Text color={theme.warning} wrap="truncate-end">
      {`! ${sanitizeForTerminal(render.reason)}; revision${render.revisions.length === 1 ? '' : 's'} ${render.revisions.join(', ')} lost: History (${HISTORY_TAB}), then ${keyHint('reapply')} re-applies them`}
    </Text>
  );
}

export function useHistoryScreen(svc: AppServices): ScreenModel {
  const history = svc.state.history;
  const rows = filterItems(
    [...(history?.doc.revisions ?? [])].reverse(),
    svc.state.filters.history,
    (r) => `${r.number} ${r.author.name} ${r.kind} ${r.summary}`,
  );
  const pos = svc.state.positions.history;
  const selected = rows[Math.min(pos.cursor, rows.length - 1)];
  const staged = svc.state.dexEdits.length + svc.state.mappingEdits.length;
  const need = (fn: (r: Revision) => void) => () =>
    selected
      ? fn(selected)
      : svc.dispatch({ type: 'status', status: { level: 'info', message: 'no revision selected' } });
  const write = (modal: { what: 'rollback' | 'reapply'; number?: number }) =>
    staged
      ? svc.dispatch({
          type: 'status',
          status: {
            level: 'warning',
            message: `save (${keyHint('save')}) or undo (${keyHint('undoStep')}) the ${staged} staged edit${staged === 1 ? '' : 's'} first: a ${modal.what} writes dex-config itself`,
          },
        })
      : svc.dispatch({ type: 'pushModal', modal: { kind: 'historyWrite', ...modal } });
  const actions: Action[] = [
    {
      id: 'history-show',
      keys: [...KEYS.choose],
      label: 'show',
      run: need((r) =>
        svc.dispatch({ type: 'pushModal', modal: { kind: 'historyRevision', number: r.number } }),
      ),
    },
    {
      id: 'history-rollback',
      keys: [...KEYS.rollback],
      label: 'roll back',
      dangerous: true,
      run: need((r) => write({ what: 'rollback', number: r.number })),
    },
    {
      id: 'history-reapply',
      keys: [...KEYS.reapply],
      label: 're-apply after helm upgrade',
      dangerous: true,
      run: () => write({ what: 'reapply' }),
    },
  ];
  const columns: Column<Revision>[] = [
    { title: 'REV', width: 5, cell: (r) => String(r.number) },
    { title: 'TIME', width: 20, cell: (r) => r.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z') },
    { title: 'AUTHOR', width: 18, cell: (r) => sanitizeForTerminal(r.author.name) },
    { title: 'KIND', width: 8, cell: (r) => r.kind },
    { title: 'SUMMARY', width: Math.max(20, svc.width - 60), cell: (r) => sanitizeForTerminal(r.summary) },
  ];
  const body = (
    <Box flexDirection="column">
      {history?.warning ? <Text color="yellow">{sanitizeForTerminal(history.warning)}</Text> : null}
      {history?.scope === 'session' ? (
        <Text dimColor>
          File and demo modes keep this run&apos;s revisions only; the shared history is the Secret
          dex-config-history in a cluster.
        </Text>
      ) : null}
      <List
        rows={rows}
        rowId={(r) => String(r.number)}
        columns={columns}
        position={pos}
        height={svc.listHeight}
        empty={history ? 'no revisions yet: every save records one' : 'reading the history…'}
      />
      <Text dimColor>
        Keeps the last {history?.keep ?? '…'} revisions (annotation epinio-dex-admin/history-keep on
        dex-config-history).
      </Text>
    </Box>
  );
  return { actions: [...actions, ...navActions(svc, 'history', rows.length)], body, count: rows.length };
}
