// The lockout guard of the commands: a write after which no administrator can get in is refused
// (exit 1, like the other refusals that a flag overrides) with what it takes away and how to keep a
// way in, unless --allow-lockout. The decision is the domain's (impactLockout.ts).
import type { Impact } from '../domain/impact.js';
import { CommandError, flagBool, type CommandContext } from './context.js';
import { EXIT } from './exitCodes.js';
import { warn } from './print.js';

export function guardLockout(ctx: CommandContext, impact: Impact, describe: string): void {
  const { lockout } = impact;
  if (!lockout.blocked) return;
  if (flagBool(ctx, 'allow-lockout')) {
    warn(ctx, `${describe}: saved with --allow-lockout; no administrator may be able to get in`);
    return;
  }
  throw new CommandError(
    `${describe}: ${lockout.message!}\nnothing was written`,
    EXIT.failure,
    'review it with --dry-run; --allow-lockout saves it anyway',
  );
}
