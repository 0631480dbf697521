// Typed errors at the edge (the kubectl pattern): every store turns its failures into one of these,
// and the TUI and the commands render them with `describeError`, so an operator reads the same text
// everywhere. None of them carries a stack trace to the screen.
import type { SecretObject } from './types.js';

export type StoreErrorKind =
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'Unreachable'
  | 'Unauthorized'
  | 'Invalid'
  | 'Timeout'
  | 'NoKubeconfig'
  | 'BadKubeconfig'
  | 'FileError'
  | 'ReadOnly'
  | 'ServerError';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    /** What the operator can do about it. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = `${kind}Error`;
  }
}

export class ForbiddenError extends StoreError {
  constructor(
    readonly verb: string,
    readonly resource: string,
    readonly resourceName: string | undefined,
    readonly namespace: string,
    readonly serverMessage: string,
    /** A Role rule (one line of YAML) that would allow it, when the caller knows one. */
    readonly roleRule?: string,
  ) {
    const target = resourceName ? `${resource} "${resourceName}"` : resource;
    const canI = `kubectl auth can-i ${verb} ${resource}${resourceName ? `/${resourceName}` : ''} -n ${namespace}`;
    super(
      'Forbidden',
      `forbidden: cannot ${verb} ${target} in namespace "${namespace}": ${serverMessage}`,
      `check your rights with: ${canI}${roleRule ? `; a Role rule that allows it: ${roleRule}` : ''}`,
    );
    this.canICommand = canI;
  }
  readonly canICommand: string;
}

export class NotFoundError extends StoreError {
  constructor(
    readonly resource: string,
    readonly resourceName: string,
    readonly namespace: string,
    explanation: string,
  ) {
    super('NotFound', `${resource} "${resourceName}" not found in namespace "${namespace}"`, explanation);
  }
}

export class ConflictError extends StoreError {
  constructor(
    /** What our edits were based on. */
    readonly base: SecretObject,
    /** The newer version someone else wrote. */
    readonly remote: SecretObject,
    /** Keys both sides changed (why no automatic rebase was possible); with `changed: 'meanwhile'`,
     *  what the other writer changed (a single-object write has no rebase). */
    readonly overlappingKeys: string[],
    readonly changed: 'both' | 'meanwhile' = 'both',
  ) {
    super(
      'Conflict',
      changed === 'both'
        ? `conflict: ${remote.name} was changed by someone else since it was loaded (keys ${overlappingKeys.join(', ') || '(metadata)'} changed on both sides); nothing was written`
        : `conflict: ${remote.name} was changed by someone else since it was loaded (changed meanwhile: ${overlappingKeys.join(', ') || 'nothing but its resourceVersion'}); nothing was written`,
      'reload to see the other change, then re-apply your edits on top of it',
    );
  }
}

export class InvalidError extends StoreError {
  constructor(
    message: string,
    /** The API server's causes: field and message. */
    readonly causes: { field?: string; message: string }[],
  ) {
    super(
      'Invalid',
      `the API server rejected the object: ${message}${causes.length ? ` (${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join('; ')})` : ''}`,
      'nothing was written; correct the value and try again',
    );
  }
}

/** Renders any error the way every screen and command shows it: what failed, why, what to do. */
export function describeError(err: unknown): { message: string; hint?: string } {
  if (err instanceof StoreError) return { message: err.message, hint: err.hint };
  if (err instanceof Error) return { message: err.message };
  return { message: String(err) };
}

/** The one refusal of a write under --read-only (the CLI's gate and both stores): the operator's
 *  choice, not an RBAC denial, so not the Forbidden kind. A read-only file is a FileError instead. */
export function readOnlyError(): StoreError {
  return new StoreError(
    'ReadOnly',
    'read-only: started with --read-only; nothing was written',
    'run without --read-only to change anything',
  );
}
