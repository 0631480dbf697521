// The write of whole dex-config keys: `history rollback`, `history reapply` and `backups restore`.
// The same checks as a staged edit's save (stage.ts), from the domain's preview of the result
// (historyPreview.ts): masked diff, problems, the blast radius and the lockout guard over the
// recorded logins; --dry-run stops there, a lockout needs --allow-lockout (--force does not pass
// it), added errors need --force, and the loaded resourceVersion is the precondition.
import type { RevisionKind } from '../domain/history.js';
import { previewChanges } from '../domain/historyPreview.js';
import type { Snapshot } from '../domain/objects.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { colorEnabled, style } from '../output/color.js';
import type { Store } from '../store/types.js';
import { CommandError, flagBool, type CommandContext } from './context.js';
import { EXIT } from './exitCodes.js';
import { impactLines, impactView } from './impactOutput.js';
import { guardLockout } from './lockoutGuard.js';
import { readLogins } from './loginsRead.js';
import { afterSaveLines } from './savedOutput.js';
import { emit, warn } from './print.js';

const clean = sanitizeForTerminal;

export async function writeKeys(
  ctx: CommandContext,
  store: Store,
  snapshot: Snapshot,
  wanted: Record<string, string | null>,
  describe: string,
  record: { kind: RevisionKind; rollbackOf?: number },
): Promise<number> {
  const read = await readLogins(store);
  const preview = previewChanges(snapshot, wanted, read.logins);
  const changed = Object.keys(preview.changes);
  const dryRun = flagBool(ctx, 'dry-run');
  const view = (saved?: object) => ({
    edit: describe,
    dryRun,
    changed,
    diff: preview.diff,
    errors: preview.problems
      .filter((p) => p.severity === 'error')
      .map((p) => ({ code: p.code, message: p.message, path: p.path })),
    impact: impactView(preview.impact, read.note),
    ...(saved ? { saved: true, ...saved } : { saved: false }),
  });
  const text = (tail: string) => () =>
    [
      ...preview.diff.map(clean),
      ...preview.problems.map((p) => `${p.severity === 'error' ? '✗' : '!'} ${clean(p.message)} (${p.path})`),
      ...(changed.length
        ? impactLines(preview.impact, style(colorEnabled(ctx.io.stdout, ctx.io.env)), read.note)
        : []),
      tail,
      '',
    ].join('\n');
  if (!changed.length) {
    emit(ctx, view(), text(`${describe}: dex-config already holds it; nothing was written`));
    return EXIT.ok;
  }
  if (dryRun) {
    emit(ctx, view(), text(`dry run: ${describe}; nothing was written`));
    return EXIT.ok;
  }
  guardLockout(ctx, preview.impact, describe);
  if (preview.addedErrors.length && !flagBool(ctx, 'force'))
    throw new CommandError(
      `${describe} would add ${preview.addedErrors.length} error${preview.addedErrors.length === 1 ? '' : 's'}: ${preview.addedErrors.map((p) => p.message).join('; ')}; nothing was written`,
      EXIT.failure,
      'review it with --dry-run; --force saves it anyway',
    );
  const result = await store.saveDexConfig({ base: snapshot.dexConfig, changes: preview.changes, record });
  if (result.historyWarning) warn(ctx, result.historyWarning);
  const saved = {
    resourceVersion: result.secret.resourceVersion,
    ...(result.revision !== undefined ? { revision: result.revision } : {}),
    ...(result.backupId ? { backupId: result.backupId } : {}),
    ...(result.historyWarning ? { historyWarning: result.historyWarning } : {}),
  };
  const tail = [
    `saved ${changed.join(' and ')}: ${describe}${result.revision !== undefined ? ` (revision ${result.revision})` : ''}`,
    ...afterSaveLines(result, preview.changes),
  ].join('\n');
  emit(ctx, view(saved), text(tail));
  return EXIT.ok;
}
