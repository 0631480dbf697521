// The impact of a draft as the commands print it: the same domain result (workspace `impact`) as
// the save dialog shows, as data for -o json/yaml and as lines for the table, admin losses and
// gains first and highlighted. Identities come from the cluster, so the lines are sanitized.
import { changeLine, describeRoles, type Impact, type IdentityChange } from '../domain/impact.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import type { Style } from '../output/color.js';

function changeView(c: IdentityChange) {
  return {
    email: c.identity.email,
    connectorId: c.identity.connectorId,
    from: c.identity.from,
    before: describeRoles(c.before),
    after: describeRoles(c.after),
    gainsAdmin: c.gainsAdmin,
    losesAdmin: c.losesAdmin,
    why: c.after.reason,
  };
}

export function impactView(impact: Impact, loginsNote?: string) {
  const { blast, lockout } = impact;
  return {
    summary: blast.summary,
    known: blast.known,
    changes: blast.changes.map(changeView),
    lockout: {
      blocked: lockout.blocked,
      lost: lockout.lost.map((l) => ({ wayIn: l.way.description, why: l.why, keep: l.keep })),
      ...(lockout.blocked ? { advice: lockout.advice } : {}),
      ...(lockout.warning ? { warning: lockout.warning } : {}),
    },
    ...(loginsNote ? { loginsNote } : {}),
  };
}

export function impactLines(impact: Impact, s: Style, loginsNote?: string): string[] {
  const { blast, lockout } = impact;
  const lines = [`impact: ${blast.summary}`];
  if (loginsNote)
    lines.push(`  (${sanitizeForTerminal(loginsNote)}; only Dex local users and user Secrets were checked)`);
  for (const c of blast.changes) {
    const text = sanitizeForTerminal(changeLine(c));
    lines.push(
      c.losesAdmin
        ? s.red(s.bold(`  - ${text}`))
        : c.gainsAdmin
          ? s.yellow(s.bold(`  + ${text}`))
          : `    ${text}`,
    );
  }
  if (lockout.blocked) lines.push(s.red(sanitizeForTerminal(lockout.message!)));
  else if (lockout.warning && blast.changes.length) lines.push(`! ${lockout.warning}`);
  return lines;
}
