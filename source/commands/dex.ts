// `dex restart [--wait]`: what `kubectl rollout restart deployment/dex` does, optionally followed
// until the new pods are ready. Progress goes to stderr; the outcome to stdout.
import { parseDuration } from '../cliOptions.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagBool, flagString, type CommandContext } from './context.js';
import { emit, note } from './print.js';

export async function run(ctx: CommandContext): Promise<number> {
  const wait = flagBool(ctx, 'wait');
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
  const result = await store.restartDex({
    wait,
    timeoutMs,
    onProgress: (p) => {
      // Rollouts report the same state many times; print each change once.
      if (ctx.options.output === 'table' && p.message !== last) note(ctx, p.message);
      last = p.message;
    },
  });
  emit(ctx, result, () => `${result.phase}: ${result.message}\n`);
  return result.phase === 'timeout' || result.phase === 'failed' ? EXIT.failure : EXIT.ok;
}
