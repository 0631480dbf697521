// `users explain USERNAME`: the user's roles now (its Secret) and at its next request, for each
// recorded Dex login of it, with the mapping's reasons, under the detected semantics and the other.
// The logins are read through the store; when they cannot be, one line says why and the rest is
// still explained from the Secret and the mapping.
import { describeRoles, explainUser, type Outcome, type UserExplanation } from '../domain/impact.js';
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

function outcomeLines(o: Outcome, indent: string): string[] {
  const head = `${indent}next request: ${describeRoles(o)}: ${o.reason}`;
  const why = o.simulation ? o.simulation.explanation.split('\n').slice(0, -1) : [];
  return [head, ...why.map((l) => `${indent}  ${l}`)];
}

export function explanationText(x: UserExplanation, loginsNote?: string): string {
  const lines: string[] = [];
  if (x.secret) {
    lines.push(`user ${x.username} (Secret ${x.secret.name}${x.secret.duplicate ? ', DUPLICATE' : ''})`);
    lines.push(`roles now: ${x.secret.roles.length ? x.secret.roles.join(',') : 'none'}`);
    if (x.secret.unknownRoles.length)
      lines.push(
        `  not known to the server (dropped at the next request): ${x.secret.unknownRoles.join(', ')}`,
      );
  } else lines.push(`user ${x.username} (no Secret yet: Epinio creates it at the first OIDC request)`);
  lines.push(`basic auth: ${x.basicAuth}`);
  if (loginsNote) lines.push(`logins: ${loginsNote}`);
  const [main, other] = x.explanations;
  lines.push(`semantics: ${main.semantics}`);
  if (x.noLogin) lines.push(x.noLogin);
  for (const i of main.identities) {
    const groups = i.identity.groups.length ? i.identity.groups.join(', ') : 'none';
    const seen = i.identity.from === 'login' ? `login` : 'Dex local user';
    lines.push(
      `${seen} via ${i.identity.connectorId}, groups: ${groups}${i.identity.lastUsed ? ` (last used ${i.identity.lastUsed})` : ''}`,
    );
    lines.push(...outcomeLines(i.saved, '  '));
  }
  if (main.noGroups) lines.push(...outcomeLines(main.noGroups.saved, '  '));
  const others = other.identities.map((i) => i.saved);
  if (other.noGroups) others.push(other.noGroups.saved);
  for (const o of others) lines.push(`under ${other.semantics} semantics: ${describeRoles(o)}: ${o.reason}`);
  return `${lines.map((l) => sanitizeForTerminal(l)).join('\n')}\n`;
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
