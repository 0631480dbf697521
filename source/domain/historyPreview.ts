// The preview of a key-level write (a rollback, a re-apply, a backup restore): the masked diff, the
// problems and the impact (blast radius, lockout) of the result, derived through the workspace
// exactly as a staged edit's, so `history rollback|reapply`, `backups restore`, the History screen
// and Undo save check what they write as every other save does.
import { maskedDataDiff } from './diff.js';
import { computeImpact, type Impact } from './impact.js';
import { applyChanges } from './objects.js';
import type { Login, Snapshot } from './objects.js';
import type { Problem } from './problems.js';
import { deriveWorkspace, NO_EDITS } from './workspace.js';

export interface ChangePreview {
  /** Only the keys whose value differs from the current one. */
  changes: Record<string, string | null>;
  diff: string[];
  problems: Problem[];
  /** Errors the write would add (not there before). */
  addedErrors: Problem[];
  /** Who gets other roles, and whether an administrator can still get in, after the write. */
  impact: Impact;
}

const key = (p: Problem) => `${p.severity} ${p.code} ${p.message}`;

export function previewChanges(
  snapshot: Snapshot,
  wanted: Record<string, string | null>,
  /** Recorded logins; undefined when they could not be read. */
  logins?: readonly Login[],
): ChangePreview {
  const current = snapshot.dexConfig.data;
  const changes = Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => (v === null ? k in current : current[k] !== v)),
  );
  const next = applyChanges(current, changes);
  const before = deriveWorkspace(snapshot, NO_EDITS);
  const after = deriveWorkspace({ ...snapshot, dexConfig: { ...snapshot.dexConfig, data: next } }, NO_EDITS);
  const problems = [...after.dexProblems, ...after.mappingProblems];
  const had = new Set([...before.dexProblems, ...before.mappingProblems].map(key));
  return {
    changes,
    diff: maskedDataDiff(current, next),
    problems,
    addedErrors: problems.filter((p) => p.severity === 'error' && !had.has(key(p))),
    // The saved side is now, the draft side is the written result (roles and users are the same).
    impact: computeImpact({
      saved: before.impactInput.saved,
      draft: after.impactInput.saved,
      ctx: before.impactInput.ctx,
      logins,
    }),
  };
}
