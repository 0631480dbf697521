// The impact of a draft (issue 12): who gets other roles at the next request (blast radius), and
// whether an administrator can still get in (lockout guard), computed from the saved state and the
// draft. Pure; the workspace derives it for both faces (workspace.ts `impact`), and the user flows
// call it with a draft of the user Secrets. The rules live in impactOutcome.ts (one identity's
// next request), impactBlast.ts, impactLockout.ts and impactExplain.ts.
import { blastRadius, type BlastRadius } from './impactBlast.js';
import { lockoutCheck, type LockoutCheck } from './impactLockout.js';
import type { ImpactContext, ImpactSide } from './impactOutcome.js';
import type { Login } from './objects.js';
import type { EpinioUser } from './users.js';

export interface ImpactInput {
  saved: ImpactSide;
  draft: ImpactSide;
  ctx: ImpactContext;
  /** Recorded logins; undefined when they could not be read (then only Dex local users are known). */
  logins?: readonly Login[];
}

export interface Impact {
  blast: BlastRadius;
  lockout: LockoutCheck;
  /** false: no logins were given, so identities that log in through a connector are unknown. */
  loginsKnown: boolean;
}

export function computeImpact(input: ImpactInput): Impact {
  const logins = input.logins ?? [];
  return {
    blast: blastRadius(input.saved, input.draft, input.ctx, logins),
    lockout: lockoutCheck(input.saved, input.draft, input.ctx, logins),
    loginsKnown: input.logins !== undefined,
  };
}

export { blastRadius, changeLine, describeRoles, identitiesOf } from './impactBlast.js';
export type { BlastRadius, Identity, IdentityChange } from './impactBlast.js';
export { LOCKOUT_WORD, lockoutCheck, waysIn } from './impactLockout.js';
export type { LockoutCheck, LostWay, WayIn } from './impactLockout.js';
export { explainUser } from './impactExplain.js';
export type { ExplainedIdentity, SemanticsExplanation, UserExplanation } from './impactExplain.js';
export { hasAdmin, nextRequest, applyToUser, sideFrom } from './impactOutcome.js';
export type { ImpactContext, ImpactSide, Outcome, StaticUser } from './impactOutcome.js';

/** The same input with a draft of the user Secrets (a role change, a deleted user). */
export function withDraftUsers(input: ImpactInput, users: EpinioUser[]): ImpactInput {
  return { ...input, draft: { ...input.draft, users } };
}
