// `dex restart [--wait] [--rollback-on-failure]`: what `kubectl rollout restart deployment/dex`
// does, optionally followed until the new pods are ready and what changed is verified (the new
// ReplicaSet's pods, their termination message and logs, discovery, connectors opened). Progress
// goes to stderr; the outcome to stdout. Exit codes: 0 ready, 6 failed, 7 timed out.
import { parseDuration } from '../cliOptions.js';
import { rollbackAndRestart, type RollbackResult } from '../store/restartRollback.js';
import type { RolloutProgress } from '../store/types.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagBool, flagString, type CommandContext } from './context.js';
import { emit, note } from './print.js';

/** The lines a person reads about one outcome: the failing container, its log, what is unseen. */
export function outcomeLines(p: RolloutProgress): string[] {
  const out = [`${p.phase}: ${p.message}`];
  for (const pod of p.pods ?? [])
    out.push(
      `  new pod ${pod.name}: ${pod.state}${pod.detail ? ` (${pod.detail})` : ''}, ${pod.restarts} restarts`,
    );
  const f = p.failure;
  if (f) {
    const head = [f.reason, f.exitCode !== undefined ? `exit code ${f.exitCode}` : undefined]
      .filter(Boolean)
      .join(', ');
    out.push(`  container ${f.container} of pod ${f.pod}${head ? ` (${head})` : ''}`);
    if (f.message) out.push('  termination message:', ...f.message.split('\n').map((l) => `    ${l}`));
    else out.push('  termination message: (none)');
    if (f.logs) out.push(`  last log lines (${f.logs.length}):`, ...f.logs.map((l) => `    ${l}`));
    else if (f.logsUnavailable) out.push(`  logs unavailable: ${f.logsUnavailable}`);
  }
  for (const c of p.checks ?? [])
    out.push(`  ${c.ok === true ? 'ok' : c.ok === false ? 'FAILED' : 'not checked'}: ${c.message}`);
  for (const u of p.unseen ?? [])
    if (!f?.logsUnavailable || u !== f.logsUnavailable) out.push(`  cannot see: ${u}`);
  return out;
}

const exitOf = (p: RolloutProgress): number =>
  p.phase === 'timeout' ? EXIT.restartTimeout : p.phase === 'failed' ? EXIT.restartFailed : EXIT.ok;

export async function run(ctx: CommandContext): Promise<number> {
  const wait = flagBool(ctx, 'wait');
  const rollback = flagBool(ctx, 'rollback-on-failure');
  if (rollback && !wait)
    throw new CommandError(
      '--rollback-on-failure needs --wait (a failure is seen only while following the rollout)',
      EXIT.usage,
    );
  let timeoutMs = 300_000;
  const timeout = flagString(ctx, 'timeout');
  if (timeout !== undefined) {
    try {
      timeoutMs = parseDuration(timeout);
    } catch (err) {
      throw new CommandError(`${(err as Error).message} for --timeout`, EXIT.usage);
    }
  }
  const store = await ctx.openStore();
  let last = '';
  const onProgress = (p: RolloutProgress) => {
    // Rollouts report the same state many times; print each change once.
    if (ctx.options.output === 'table' && p.message !== last) note(ctx, p.message);
    last = p.message;
  };
  const result = await store.restartDex({ wait, timeoutMs, onProgress });
  let rolledBack: RollbackResult | undefined;
  if (rollback && result.phase === 'failed') {
    note(ctx, outcomeLines(result).join('\n'));
    note(ctx, 'rolling back: restoring the backup the last save took, then restarting Dex again');
    rolledBack = await rollbackAndRestart(store, { timeoutMs, onProgress });
  }
  const value = rolledBack ? { ...result, rolledBack } : result;
  emit(ctx, value, () => {
    const lines = outcomeLines(result);
    if (rolledBack) {
      lines.push(
        `rolled back: restored ${rolledBack.restoredKeys.join(', ')} from backup ${rolledBack.backupId}${rolledBack.failedVersionBackupId ? ` (the failed version is backup ${rolledBack.failedVersionBackupId})` : ''}`,
        ...outcomeLines(rolledBack.progress).map((l) => `after rollback: ${l}`),
      );
    }
    return `${lines.join('\n')}\n`;
  });
  // The change's outcome decides: a failed change stays "failed" even when the rollback is ready;
  // a rollback that fails too is also "failed" and says so.
  return exitOf(result);
}
