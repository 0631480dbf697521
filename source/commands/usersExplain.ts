// `users explain USERNAME`: the user's roles now (its Secret) and at its next request, for each
// recorded Dex login of it, with the mapping's reasons, under the detected semantics and the other.
// The logins are read through the store; when they cannot be, one line says why and the rest is
// still explained from the Secret and the mapping.
import { explainUser, type Outcome, type UserExplanation } from '../domain/impact.js';
import { explanationLines } from '../domain/impactExplainText.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import { EXIT } from './exitCodes.js';
import { CommandError, type CommandContext } from './context.js';
import { loadWorkspace } from './load.js';
import { readLogins } from './loginsRead.js';
import { emit } from './print.js';

function outcomeView(o: Outcome) {
  return {
    canLogIn: o.canLogIn,
    roles: o.roles,
    source: o.source,
    reason: o.reason,
    ...(o.simulation
      ? {
          entry: o.simulation.entryIndex,
          matched: o.simulation.matched,
          skipped: o.simulation.skipped,
        }
      : {}),
  };
}

export function explanationView(x: UserExplanation, loginsNote?: string) {
  return {
    username: x.username,
    ...(x.secret ? { secret: x.secret } : {}),
    basicAuth: x.basicAuth,
    ...(x.noLogin ? { noLogin: x.noLogin } : {}),
    ...(loginsNote ? { loginsNote } : {}),
    semantics: x.explanations.map((e) => ({
      semantics: e.semantics,
      identities: e.identities.map((i) => ({
        connectorId: i.identity.connectorId,
        email: i.identity.email,
        from: i.identity.from,
        groups: i.identity.groups,
        ...(i.identity.lastUsed ? { lastUsed: i.identity.lastUsed } : {}),
        nextRequest: outcomeView(i.saved),
      })),
      ...(e.noGroups ? { withNoGroups: outcomeView(e.noGroups.saved) } : {}),
    })),
  };
}

export function explanationText(x: UserExplanation, loginsNote?: string): string {
  return `${explanationLines(x, loginsNote)
    .map((l) => sanitizeForTerminal(l))
    .join('\n')}\n`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const username = ctx.args[0]!;
  const { ws } = await loadWorkspace(ctx);
  const read = await readLogins(await ctx.openStore());
  const { saved, draft, ctx: rules } = ws.impactInput;
  const x = explainUser(saved, draft, rules, read.logins ?? [], username);
  const identities = x.explanations[0].identities.length;
  if (!x.secret && !identities) {
    const other = ws.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    throw new CommandError(
      `user "${username}" not found: no user Secret, no recorded login and no Dex local user has this name`,
      EXIT.notFound,
      other
        ? `usernames are case-sensitive; did you mean "${other.username}"?`
        : 'list the users with `users list`',
    );
  }
  emit(ctx, explanationView(x, read.note), () => explanationText(x, read.note));
  return EXIT.ok;
}
