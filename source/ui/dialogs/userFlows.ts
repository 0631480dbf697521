// The writes of the Users tab, out of the dialogs: create, delete, roles and password. A dialog
// collects and checks the input, calls a flow and renders what it returns; a flow calls the store
// (each write with the Secret's resourceVersion as precondition), re-reads the users, and turns
// the outcome into a status line. Nothing here throws: a failure is a result too.
import type { SecretObject, Store } from '../../store/types.js';
import { describeError } from '../../store/errors.js';
import { formatRolesAnnotation } from '../../domain/users.js';
import { EPINIO_DEFAULT_COST } from '../../password/policy.js';
import { hashPassword, verifyPassword } from '../../password/hash.js';
import type { Status } from '../state/appState.js';
import type { AppServices } from '../appContext.js';
import { keyHint } from '../keys.js';

export interface FlowResult {
  status: Status;
  /** The user Secrets re-read after the write (absent when nothing was written or the re-read failed). */
  users?: SecretObject[];
}

function failed(what: string, err: unknown): FlowResult {
  const d = describeError(err);
  return { status: { level: 'error', message: `${what} failed: ${d.message}`, hint: d.hint } };
}

/** Runs a write, then re-reads the users for the list; the status says what was done. */
async function writeThenList(store: Store, what: string, write: () => Promise<string>): Promise<FlowResult> {
  let message: string;
  try {
    message = await write();
  } catch (err) {
    return failed(what, err);
  }
  try {
    return { status: { level: 'success', message }, users: await store.listUsers() };
  } catch (err) {
    const d = describeError(err);
    return {
      status: {
        level: 'warning',
        message: `${message}; re-reading the users failed: ${d.message}`,
        hint: d.hint,
      },
    };
  }
}

export function createUserFlow(
  store: Store,
  input: { username: string; password?: string; roles: string[]; namespaces: string[] },
): Promise<FlowResult> {
  return writeThenList(store, `creating user ${input.username}`, async () => {
    const passwordHash = input.password ? await hashPassword(input.password, EPINIO_DEFAULT_COST) : undefined;
    const secret = await store.createUser({
      username: input.username,
      passwordHash,
      roles: input.roles,
      namespaces: input.namespaces,
    });
    return `created user ${input.username} (Secret ${secret.name})`;
  });
}

export function deleteUserFlow(store: Store, secret: SecretObject, username: string): Promise<FlowResult> {
  return writeThenList(store, `deleting user ${username}`, async () => {
    await store.deleteUser(secret);
    return `deleted user ${username} (Secret ${secret.name})`;
  });
}

export function setRolesFlow(
  store: Store,
  secret: SecretObject,
  username: string,
  roles: string[],
): Promise<FlowResult> {
  const annotation = formatRolesAnnotation(roles);
  return writeThenList(store, `setting the roles of ${username}`, async () => {
    await store.setUserRoles(secret, annotation);
    return `roles of ${username} set to "${annotation}" (effective on the next request)`;
  });
}

/**
 * Writes an already computed hash, then re-reads the Secret and verifies the stored hash against
 * the password (someone may have written the Secret meanwhile).
 */
export async function setPasswordFlow(
  store: Store,
  secret: SecretObject,
  username: string,
  hash: string,
  password: string,
): Promise<FlowResult> {
  const what = `setting the password of ${username}`;
  try {
    await store.setUserPassword(secret, hash);
  } catch (err) {
    return failed(what, err);
  }
  let users: SecretObject[];
  try {
    users = await store.listUsers();
  } catch (err) {
    const d = describeError(err);
    return {
      status: {
        level: 'warning',
        message: `password of ${username} written, but re-reading it to verify failed: ${d.message}`,
        hint: d.hint,
      },
    };
  }
  const stored = users.find((s) => s.name === secret.name)?.data.password;
  const ok = stored ? await verifyPassword(password, stored) : false;
  return {
    users,
    status: ok
      ? {
          level: 'success',
          message: `password of ${username} set and verified (re-read from ${store.location.backend})`,
        }
      : {
          level: 'error',
          message: `password of ${username} written, but the re-read hash does not verify`,
          hint: `someone may have changed the Secret meanwhile; reload (${keyHint('reload')}) and check`,
        },
  };
}

/** Shows a flow's result: the re-read users in the list, its status in the status line. */
export function showFlowResult(svc: Pick<AppServices, 'dispatch'>, result: FlowResult): void {
  if (result.users) svc.dispatch({ type: 'userSecrets', users: result.users });
  svc.dispatch({ type: 'status', status: result.status });
}
