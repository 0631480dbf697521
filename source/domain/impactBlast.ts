// Blast radius of a draft: which known identities (recorded logins, and Dex local users that have
// none) get other roles at their next request than they would under the saved state. Both sides are
// evaluated in full, so an edit with no effect (an entry moved behind the first for its connector,
// a group nobody has) changes nobody, however large its diff looks.
import type { Login } from './objects.js';
import {
  hasAdmin,
  LOCAL,
  nextRequest,
  sameOutcome,
  type IdentityClaims,
  type ImpactContext,
  type ImpactSide,
  type Outcome,
} from './impactOutcome.js';

export interface Identity extends IdentityClaims {
  /** Stable key: connector and Dex user id (or `local/<email>` for a Dex local user with no login). */
  key: string;
  from: 'login' | 'static';
  lastUsed?: string;
}

export interface IdentityChange {
  identity: Identity;
  before: Outcome;
  after: Outcome;
  gainsAdmin: boolean;
  losesAdmin: boolean;
}

export interface BlastRadius {
  /** How many identities were evaluated. */
  known: number;
  /** Changed identities: admin losses first, then admin gains, then the rest (each by email). */
  changes: IdentityChange[];
  /** One line: "no user's roles change" or "N of M known identities ...". */
  summary: string;
}

/** The identities the impact rules know: every login, then each Dex local user without one. */
export function identitiesOf(logins: readonly Login[], sides: readonly ImpactSide[]): Identity[] {
  const out: Identity[] = logins.map((l) => ({
    key: `${l.connectorId}/${l.userId}`,
    from: 'login',
    connectorId: l.connectorId,
    email: l.email,
    groups: [...l.groups],
    lastUsed: l.lastUsed,
  }));
  const seen = new Set(logins.filter((l) => l.connectorId === LOCAL).map((l) => l.email.toLowerCase()));
  for (const side of sides)
    for (const s of side.staticUsers) {
      const lower = s.email.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      out.push({
        key: `${LOCAL}/${lower}`,
        from: 'static',
        connectorId: LOCAL,
        email: s.email,
        groups: [...(s.groups ?? [])],
      });
    }
  return out;
}

const rank = (c: IdentityChange) => (c.losesAdmin ? 0 : c.gainsAdmin ? 1 : 2);

export function describeRoles(o: Outcome): string {
  if (!o.canLogIn) return 'cannot log in';
  return o.roles.length ? o.roles.join(',') : 'no role';
}

export function blastRadius(
  saved: ImpactSide,
  draft: ImpactSide,
  ctx: ImpactContext,
  logins: readonly Login[],
): BlastRadius {
  const identities = identitiesOf(logins, [saved, draft]);
  const changes: IdentityChange[] = [];
  for (const identity of identities) {
    const before = nextRequest(saved, ctx, identity);
    const after = nextRequest(draft, ctx, identity);
    if (sameOutcome(before, after)) continue;
    changes.push({
      identity,
      before,
      after,
      gainsAdmin: !hasAdmin(before.roles) && hasAdmin(after.roles),
      losesAdmin: hasAdmin(before.roles) && !hasAdmin(after.roles),
    });
  }
  changes.sort((a, b) => rank(a) - rank(b) || a.identity.email.localeCompare(b.identity.email));
  const n = changes.length;
  const summary = n
    ? `${n} of ${identities.length} known identit${identities.length === 1 ? 'y' : 'ies'} ${n === 1 ? 'changes' : 'change'} roles at the next request`
    : identities.length
      ? "no user's roles change"
      : "no user's roles change (no login is known, so only users who have logged in could be checked)";
  return { known: identities.length, changes, summary };
}

/** One line per change, for both faces: `! alice@x (github): admin -> user (loses admin)`. */
export function changeLine(c: IdentityChange): string {
  const tag = c.losesAdmin ? ' (loses admin)' : c.gainsAdmin ? ' (gains admin)' : '';
  const why = c.after.canLogIn ? '' : `: ${c.after.reason}`;
  return `${c.identity.email} (${c.identity.connectorId}): ${describeRoles(c.before)} -> ${describeRoles(c.after)}${tag}${why}`;
}
