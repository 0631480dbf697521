// `history list|show N|rollback N|reapply`: the shared revision history of dex-config (the Secret
// dex-config-history beside it). rollback N writes back the keys revision N changed as they were
// just before it; reapply puts the tool's revisions back after a helm upgrade re-rendered
// dex-config. Both go through the normal save: masked diff and problems first, --dry-run stops
// there, errors the write would add are refused without --force, the loaded resourceVersion is the
// precondition, and the write records a revision of its own.
import { detectHelmRender } from '../domain/helmRender.js';
import { rollbackChanges, RevisionError, type Revision } from '../domain/history.js';
import { planReapply } from '../domain/historyReapply.js';
import { DEX_CONFIG_HISTORY } from '../domain/names.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import type { HistoryState, Store } from '../store/types.js';
import { CommandError, type CommandContext } from './context.js';
import { EXIT } from './exitCodes.js';
import { writeKeys } from './keyWrite.js';
import { emit, note, table, warn } from './print.js';

const clean = sanitizeForTerminal;
const authorText = (r: Revision) =>
  `${r.author.name}${r.author.source === 'kubeconfig' ? ' (kubeconfig user; the API server did not say)' : ''}`;

function summaryRow(r: Revision) {
  return {
    number: r.number,
    at: r.at,
    author: r.author.name,
    authorSource: r.author.source,
    kind: r.kind,
    summary: r.summary,
    keys: r.keys,
    resourceVersion: r.resourceVersion,
    rollbackPossible: r.values !== undefined,
    ...(r.rollbackOf !== undefined ? { rollbackOf: r.rollbackOf } : {}),
  };
}

async function readHistory(ctx: CommandContext, store: Store): Promise<HistoryState> {
  const state = await store.readHistory();
  if (state.warning) warn(ctx, state.warning);
  if (state.scope === 'session')
    note(
      ctx,
      `file and demo modes keep revisions for this run only; the shared history is the Secret ${DEX_CONFIG_HISTORY} in a cluster`,
    );
  return state;
}

function revisionArg(ctx: CommandContext): number {
  const text = ctx.args[0] ?? '';
  if (!/^[1-9]\d{0,9}$/.test(text))
    throw new CommandError(
      `invalid revision "${clean(text)}": a revision is a number from \`history list\``,
      EXIT.usage,
    );
  return Number(text);
}

export async function run(ctx: CommandContext): Promise<number> {
  const store = await ctx.openStore();
  switch (ctx.spec.path[1]) {
    case 'list': {
      const state = await readHistory(ctx, store);
      const rows = [...state.doc.revisions].reverse().map(summaryRow);
      emit(ctx, { keep: state.keep, revisions: rows }, () =>
        rows.length
          ? table(
              ctx,
              ['rev', 'time', 'author', 'kind', 'summary'],
              rows.map((r) => [String(r.number), r.at, clean(r.author), r.kind, clean(r.summary)]),
            )
          : 'no revisions yet\n',
      );
      return EXIT.ok;
    }
    case 'show': {
      const n = revisionArg(ctx);
      const state = await readHistory(ctx, store);
      const r = state.doc.revisions.find((x) => x.number === n);
      if (!r)
        throw new CommandError(
          `revision ${n} is not in the history`,
          EXIT.notFound,
          'list them with `history list`',
        );
      emit(ctx, { ...summaryRow(r), diff: r.diff }, () =>
        [
          `revision ${r.number} (${r.kind})`,
          `author:  ${clean(authorText(r))}`,
          `time:    ${r.at}`,
          `summary: ${clean(r.summary)}`,
          `keys:    ${r.keys.join(', ')}`,
          ...(r.values ? [] : ['values:  dropped for size (this revision can no longer be rolled back)']),
          '',
          ...r.diff.map(clean),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'rollback': {
      const n = revisionArg(ctx);
      const snapshot = await store.loadSnapshot();
      const state = await readHistory(ctx, store);
      let changes;
      try {
        ({ changes } = rollbackChanges(state.doc, n));
      } catch (err) {
        if (err instanceof RevisionError)
          throw new CommandError(`${err.message}; nothing was written`, EXIT.notFound);
        throw err;
      }
      return writeKeys(ctx, store, snapshot, changes, `roll back revision ${n}`, {
        kind: 'rollback',
        rollbackOf: n,
      });
    }
    default: {
      const snapshot = await store.loadSnapshot();
      const state = await readHistory(ctx, store);
      const render = detectHelmRender(snapshot.dexConfig, state.doc);
      note(
        ctx,
        render
          ? render.reason
          : state.doc.revisions.length
            ? 'dex-config still holds what the tool last wrote (no helm re-render detected)'
            : 'the history has no revisions: nothing to re-apply',
      );
      const plan = planReapply(state.doc, snapshot.dexConfig.data);
      for (const n of plan.notes) warn(ctx, n);
      if (plan.revisions.length)
        note(
          ctx,
          `re-applying revision${plan.revisions.length === 1 ? '' : 's'} ${plan.revisions.join(', ')}`,
        );
      return writeKeys(ctx, store, snapshot, plan.changes, 're-apply the lost revisions', {
        kind: 'reapply',
      });
    }
  }
}
