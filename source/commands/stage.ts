// The one write flow of every dex-config edit command: the edits are data (DexEdit, MappingEdit),
// staged on the loaded snapshot through the domain workspace exactly as the TUI stages them, shown
// as the save dialog's masked diff with the result's problems, then saved with the loaded Secret as
// the resourceVersion precondition. A dry run stops after the preview; an edit that does not
// apply, or that adds errors without --force, is refused before anything is written.
import { applyDexEdits, DexEditError } from '../domain/dexConfig.js';
import { maskedDataDiff } from '../domain/diff.js';
import { MappingEditError } from '../domain/mappingEdits.js';
import { CONFIG_KEY, isHelmManaged, MAPPING_KEY } from '../domain/names.js';
import type { Snapshot } from '../domain/objects.js';
import type { Problem } from '../domain/problems.js';
import { applyMappingEdits } from '../domain/rolesMapping.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { deriveWorkspace, type StagedEdits, type Workspace } from '../domain/workspace.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagBool, flagString, type CommandContext } from './context.js';
import { impactLines, impactView } from './impactOutput.js';
import { guardLockout } from './lockoutGuard.js';
import { readLogins } from './loginsRead.js';
import { afterSaveLines } from './savedOutput.js';
import { emit, warn } from './print.js';
import { colorEnabled, style } from '../output/color.js';

export interface Loaded {
  snapshot: Snapshot;
  ws: Workspace;
}

const key = (p: Problem) => `${p.severity} ${p.code} ${p.message}`;

/** Stages the edits, prints the preview (or the saved result) and returns the exit code. */
export async function stageAndSave(
  ctx: CommandContext,
  loaded: Loaded,
  edits: StagedEdits,
  describe: string,
): Promise<number> {
  const { snapshot, ws: base } = loaded;
  // Applied once on their own first: an edit that cannot apply is the operator's input, refused
  // with the domain's own words (the workspace only keeps a summary of it).
  try {
    if (edits.dex.length) applyDexEdits(base.baseConfig, edits.dex);
    if (edits.mapping.length) applyMappingEdits(base.baseMapping, edits.mapping);
  } catch (err) {
    if (err instanceof DexEditError || err instanceof MappingEditError)
      throw new CommandError(`cannot ${describe}: ${err.message}; nothing was written`, EXIT.usage);
    throw err;
  }
  // The recorded logins add identities to the blast radius and the lockout guard; without them
  // both still cover the user Secrets and the Dex local users, and the output says so.
  const read = await readLogins(await ctx.openStore());
  const ws = deriveWorkspace(snapshot, edits, { logins: read.logins });
  const { impact } = ws;
  const diff = maskedDataDiff(
    { [CONFIG_KEY]: ws.baseConfig, [MAPPING_KEY]: ws.baseMapping },
    { [CONFIG_KEY]: ws.config, [MAPPING_KEY]: ws.mapping },
  );
  const problems = [...ws.dexProblems, ...ws.mappingProblems];
  const before = new Set([...base.dexProblems, ...base.mappingProblems].map(key));
  const added = problems.filter((p) => p.severity === 'error' && !before.has(key(p)));
  const dryRun = flagBool(ctx, 'dry-run');
  const changed = Object.keys(ws.changes);
  const view = (saved?: { backupId?: string; resourceVersion: string }) => ({
    edit: describe,
    dryRun,
    changed,
    diff,
    errors: problems.filter((p) => p.severity === 'error').map(shown),
    warnings: problems.filter((p) => p.severity === 'warning').map(shown),
    impact: impactView(impact, read.note),
    ...(saved ? { saved: true, ...saved } : { saved: false }),
  });
  const preview = (tail: string) => () =>
    [
      ...diff.map((l) => sanitizeForTerminal(l)),
      ...problems.map(
        (p) => `${p.severity === 'error' ? '✗' : '!'} ${sanitizeForTerminal(p.message)} (${p.path})`,
      ),
      ...(changed.length
        ? impactLines(impact, style(colorEnabled(ctx.io.stdout, ctx.io.env)), read.note)
        : []),
      tail,
      '',
    ].join('\n');

  if (!changed.length) {
    emit(ctx, view(), preview(`${describe}: already so; nothing was written`));
    return EXIT.ok;
  }
  if (dryRun) {
    emit(ctx, view(), preview(`dry run: ${describe}; nothing was written`));
    return EXIT.ok;
  }
  // Before the error check: losing every way in is the worse news, and --force does not pass it.
  guardLockout(ctx, impact, describe);
  if (added.length && !flagBool(ctx, 'force')) {
    throw new CommandError(
      `${describe} would add ${added.length} error${added.length === 1 ? '' : 's'}: ${added.map((p) => p.message).join('; ')}; nothing was written`,
      EXIT.failure,
      'review it with --dry-run; --force saves it anyway',
    );
  }
  if (isHelmManaged(snapshot.dexConfig))
    warn(ctx, 'dex-config is managed by Helm; a `helm upgrade` may overwrite this change');
  const store = await ctx.openStore();
  // Only the keys this edit changes; the Secret it was made against is the precondition.
  const result = await store.saveDexConfig({ base: snapshot.dexConfig, changes: { ...ws.changes } });
  // The shared history could not record it (403 ...): the save stands, the local backup is the copy.
  if (result.historyWarning) warn(ctx, result.historyWarning);
  const saved = {
    resourceVersion: result.secret.resourceVersion,
    ...(result.backupId ? { backupId: result.backupId } : {}),
  };
  const tail = [`saved ${changed.join(' and ')}: ${describe}`, ...afterSaveLines(result, ws.changes)].join(
    '\n',
  );
  emit(ctx, view(saved), preview(tail));
  return EXIT.ok;
}

function shown(p: Problem) {
  return { code: p.code, message: p.message, path: p.path };
}

/** A 0-based position flag (--to N), below `limit`. */
export function positionFlag(ctx: CommandContext, flag: string, limit: number): number | undefined {
  const text = flagString(ctx, flag);
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n < limit))
    throw new CommandError(
      `invalid value "${text}" for --${flag}: positions run from 0 to ${limit - 1}`,
      EXIT.usage,
    );
  return n;
}
