// explainUser's answer as lines, for both faces (`users explain` and the TUI's Explain dialog):
// the Secret, basic auth, each identity's next request with the mapping's reasons, what the
// staged draft changes, and the other semantics in one line each. Not sanitized: callers do that.
import { describeRoles } from './impactBlast.js';
import type { UserExplanation } from './impactExplain.js';
import type { Outcome } from './impactOutcome.js';

function outcomeLines(o: Outcome, indent: string, label = 'next request'): string[] {
  const head = `${indent}${label}: ${describeRoles(o)}: ${o.reason}`;
  // simulate's last line repeats what the outcome already says about new and existing users.
  const why = o.simulation ? o.simulation.explanation.split('\n').slice(0, -1) : [];
  return [head, ...why.map((l) => `${indent}  ${l}`)];
}

export function explanationLines(x: UserExplanation, loginsNote?: string): string[] {
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
    const seen = i.identity.from === 'login' ? 'login' : 'Dex local user';
    const last = i.identity.lastUsed ? ` (last used ${i.identity.lastUsed})` : '';
    lines.push(`${seen} via ${i.identity.connectorId}, groups: ${groups}${last}`);
    lines.push(...outcomeLines(i.saved, '  '));
    if (i.changed) lines.push(...outcomeLines(i.draft, '  ', 'with the staged edits'));
  }
  if (main.noGroups) {
    lines.push(...outcomeLines(main.noGroups.saved, '  '));
    const { saved, draft } = main.noGroups;
    if (saved.canLogIn !== draft.canLogIn || saved.roles.join() !== draft.roles.join())
      lines.push(...outcomeLines(draft, '  ', 'with the staged edits'));
  }
  const others = other.identities.map((i) => i.saved);
  if (other.noGroups) others.push(other.noGroups.saved);
  for (const o of others) lines.push(`under ${other.semantics} semantics: ${describeRoles(o)}: ${o.reason}`);
  return lines;
}
