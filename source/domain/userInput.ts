// What an operator may type as a username, a role, a connector id or a group id, checked the same
// way for the TUI's fields and the commands' arguments, with the same words. Each check returns
// the reason a value is refused (the faces add "nothing was written" or keep the field open), or
// undefined when the value is fine. Values are never trimmed silently: Epinio and Dex compare them
// exactly, so a stray space would make another name than the one shown.
import { splitScopedRole } from './roles.js';

export interface InputError {
  message: string;
  /** What the operator can do about it. */
  hint?: string;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function usernameError(username: string): InputError | undefined {
  if (username === '') return { message: 'a username is required' };
  if (username.trim() !== username || CONTROL.test(username))
    return {
      message: `invalid username "${username}": no leading or trailing spaces or control characters (Epinio matches usernames exactly)`,
    };
  return undefined;
}

/** One role as Epinio reads it from the roles annotation: `id` or `id:namespace`. `known`
 *  undefined means the server's roles are not known, so ids are not checked against them. */
export function roleError(role: string, known: readonly string[] | undefined): InputError | undefined {
  if (role === '' || /[,\s]/.test(role) || CONTROL.test(role))
    return {
      message: `invalid role "${role}": a role is one id (or id:namespace), without commas or spaces`,
    };
  const { id, namespace } = splitScopedRole(role);
  if (known && !known.includes(id))
    return {
      message: `unknown role "${id}": Epinio skips unknown roles`,
      // Sorted: the API server lists role ConfigMaps by name, a file in its own order.
      hint: `known roles: ${[...known].sort().join(', ')}`,
    };
  if (namespace !== undefined && !NAMESPACE.test(namespace))
    return {
      message: `invalid namespace "${namespace}" in role "${role}": a Kubernetes namespace is lower-case letters, digits and '-'`,
    };
  return undefined;
}

/** The first refused role of a list, or undefined when all are fine. */
export function rolesError(
  roles: readonly string[],
  known: readonly string[] | undefined,
): InputError | undefined {
  for (const role of roles) {
    const error = roleError(role, known);
    if (error) return error;
  }
  return undefined;
}

/** Roles typed in one field as "a, b:ns": split at commas, the spaces around each comma dropped. */
export function splitRolesText(text: string): string[] {
  return text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}

export function connectorIdError(
  id: string,
  context: { otherIds: readonly string[]; enablePasswordDB: boolean },
): InputError | undefined {
  if (id === '') return { message: 'a connector id is required' };
  if (/[\s/]/.test(id) || CONTROL.test(id))
    return {
      message: `invalid connector id "${id}": no spaces or slashes (the id is part of the callback URL)`,
    };
  if (context.otherIds.includes(id)) return { message: `a connector with id "${id}" already exists` };
  if (id === 'local' && context.enablePasswordDB)
    return { message: 'the connector id "local" is the password database (enablePasswordDB: true)' };
  return undefined;
}

export function groupIdError(id: string): InputError | undefined {
  if (id === '')
    return { message: 'a group id is required: the group name exactly as the connector emits it' };
  if (id.trim() !== id || CONTROL.test(id))
    return {
      message: `invalid group id "${id}": no leading or trailing spaces or control characters (Epinio compares group names exactly)`,
    };
  return undefined;
}

/** The email of a Dex local user (staticPasswords): its login name, unique without case. */
export function dexEmailError(email: string, existing: readonly string[]): InputError | undefined {
  if (email === '') return { message: 'an email is required: it is the login name of a Dex local user' };
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || CONTROL.test(email))
    return { message: `invalid email "${email}": not an email address` };
  if (existing.some((e) => e.toLowerCase() === email.toLowerCase()))
    return {
      message: `a Dex local user "${email}" already exists (Dex compares emails case-insensitively)`,
      hint: 'change its password with `dex-users set-password`',
    };
  return undefined;
}
