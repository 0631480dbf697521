// Epinio user Secrets (epinio-formats.md §4): the model the screens show, the roles annotation
// exactly as the server reads it, and the Secret name formulas.
import { createHash } from 'node:crypto';
import { isHelmManaged, ROLE_LABEL, ROLES_ANNOTATION } from './names.js';
import type { SecretObject } from './objects.js';
import { invisibleProblem } from './invisible.js';
import type { Problem } from './problems.js';

export interface PasswordScheme {
  variant: '2a' | '2b' | '2y' | '2' | 'unknown';
  cost?: number;
  valid: boolean;
  problem?: string;
}
export interface EpinioUser {
  username: string;
  secretName: string;
  roles: string[];
  rolesRaw: string;
  namespaces: string[];
  gitconfigs: string[];
  hasPassword: boolean;
  passwordScheme?: PasswordScheme;
  secretType: string;
  helmManaged: boolean;
  duplicate: boolean;
  problems: Problem[];
}

/** As the server: the whole value trimmed, split at ',', items NOT trimmed (" user" is an unknown id). */
export function parseRolesAnnotation(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').filter((r) => r !== '');
}

/** As the server writes it: unique, sorted, no spaces. */
export function formatRolesAnnotation(roles: string[]): string {
  const clean = roles.map((r) => r.replace(/\s+/g, '')).filter((r) => r !== '');
  return [...new Set(clean)].sort().join(',');
}

function lineList(value: string | undefined): string[] {
  return (value ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function sha1(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** The name epinio-server gives a user Secret it creates (§4.3). */
export function serverSecretName(username: string): string {
  const s = `user-${username}`;
  const p = s
    .replace(/^[0-9]+/, '')
    .replace(/_/g, '-')
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 22);
  return `r${p}-${sha1(s)}`;
}

/** The name the Helm chart's `epinio-truncate` gives a user Secret (§4.3): no lower-casing, cut at 21. */
export function chartSecretName(username: string): string {
  const s = `user-${username}`;
  return `r${s.replace(/[^-a-z0-9]/g, '').slice(0, 21)}-${sha1(s)}`;
}

const BCRYPT_CHARS = /^[./A-Za-z0-9]+$/;

/** Variant, cost and validity of a bcrypt hash as Go's x/crypto/bcrypt reads it; never returns the hash. */
export function describeHash(hash: string): PasswordScheme {
  if (hash === '')
    return {
      variant: 'unknown',
      valid: false,
      problem: 'the password hash is empty: every basic-auth login answers 401',
    };
  const m = /^\$(2[aby]?)\$/.exec(hash);
  if (!m) {
    let decoded = '';
    try {
      decoded = Buffer.from(hash.trim(), 'base64').toString('utf8');
    } catch {
      decoded = '';
    }
    if (/^\$2[aby]?\$\d\d\$/.test(decoded)) {
      return {
        variant: 'unknown',
        valid: false,
        problem:
          'the password is base64 of a bcrypt hash, but Epinio needs the hash text itself (Kubernetes already base64-encodes data): logins fail; set the password again',
      };
    }
    if (/^\$[3-9]/.test(hash))
      return {
        variant: 'unknown',
        valid: false,
        problem:
          'the hash has a bcrypt version above 2, which Go rejects: logins fail; set the password again',
      };
    return {
      variant: 'unknown',
      valid: false,
      problem:
        'the password is not a bcrypt hash ($2a$, $2b$ or $2y$): logins fail; set the password again (it may be plain text)',
    };
  }
  const variant = m[1] as PasswordScheme['variant'];
  const rest = hash.slice(m[0].length);
  const costMatch = /^(\d\d)\$/.exec(rest);
  if (!costMatch)
    return {
      variant,
      valid: false,
      problem: 'the hash has no two-digit cost after the prefix: logins fail; set the password again',
    };
  const cost = Number(costMatch[1]);
  if (cost < 4 || cost > 31)
    return {
      variant,
      cost,
      valid: false,
      problem: `bcrypt cost ${cost} is outside 4–31, which Go rejects: logins fail; set the password again`,
    };
  if (hash.length < 59)
    return {
      variant,
      cost,
      valid: false,
      problem: `the hash is ${hash.length} characters, shorter than bcrypt's 59: every login answers 401; set the password again`,
    };
  const body = hash.slice(m[0].length + 3);
  if (hash.length > 60 || !BCRYPT_CHARS.test(body)) {
    const why = /\s/.test(hash)
      ? 'contains whitespace (often a trailing newline)'
      : hash.length > 60
        ? `is ${hash.length} characters, longer than bcrypt's 60`
        : 'contains characters bcrypt never writes';
    return {
      variant,
      cost,
      valid: false,
      problem: `the hash ${why}: no password matches it; set the password again`,
    };
  }
  return { variant, cost, valid: true };
}

function problem(severity: Problem['severity'], code: string, path: string, message: string): Problem {
  return { severity, code, path, message };
}

export function userFromSecret(secret: SecretObject, knownRoles?: string[]): EpinioUser {
  const username = secret.data.username ?? '';
  const rolesRaw = secret.annotations[ROLES_ANNOTATION] ?? '';
  const roles = parseRolesAnnotation(rolesRaw);
  const password = secret.data.password;
  const hasPassword = password !== undefined && password !== '';
  const passwordScheme = hasPassword ? describeHash(password) : undefined;
  const helmManaged = isHelmManaged(secret);
  const base = `users.${secret.name}`;
  const who = username ? `user "${username}"` : `Secret ${secret.name}`;
  const problems: Problem[] = [];

  if (!username) {
    problems.push(
      problem(
        'error',
        'user.no-username',
        `${base}.data.username`,
        `Secret ${secret.name} has no data.username: nobody can log in with it; add the username or delete the Secret.`,
      ),
    );
  }
  const invisibleName = username
    ? invisibleProblem('username', username, `${base}.data.username`)
    : undefined;
  if (invisibleName) problems.push(invisibleName);
  const known = knownRoles ? new Set(knownRoles) : undefined;
  roles.forEach((role, i) => {
    const path = `${base}.roles[${i}]`;
    const invisibleRole = invisibleProblem('role id', role, path);
    if (invisibleRole) problems.push(invisibleRole);
    if (/\s/.test(role)) {
      problems.push(
        problem(
          'warning',
          'user.role-spaces',
          path,
          `${who} has role ${JSON.stringify(role)} with stray spaces: Epinio does not trim roles, so it is an unknown id that grants nothing and is dropped at the next request; save the roles again to write ${JSON.stringify(role.replace(/\s+/g, ''))}.`,
        ),
      );
      return;
    }
    const id = role.split(':')[0]!;
    if (known && !known.has(id)) {
      problems.push(
        problem(
          'warning',
          'user.unknown-role',
          path,
          `${who} has role "${id}", which the running epinio-server does not know: it grants nothing and is removed from the annotation at the next request.`,
        ),
      );
    }
  });
  if (!hasPassword) {
    problems.push(
      problem(
        'warning',
        'user.no-password',
        `${base}.data.password`,
        `${who} has no password: it can only log in through Dex until a password is set.`,
      ),
    );
  } else if (passwordScheme && !passwordScheme.valid) {
    problems.push(
      problem('error', 'user.bad-hash', `${base}.data.password`, `${who}: ${passwordScheme.problem}`),
    );
  }
  if (secret.labels[ROLE_LABEL] !== undefined) {
    problems.push(
      problem(
        'warning',
        'user.legacy-role-label',
        `${base}.labels.${ROLE_LABEL}`,
        `${who} has the legacy label ${ROLE_LABEL}=${secret.labels[ROLE_LABEL]} (Epinio ≤ 1.10): the server migrates it into the roles annotation and removes it at the next update; do not rely on it.`,
      ),
    );
  }
  if (secret.labels[ROLES_ANNOTATION] !== undefined) {
    problems.push(
      problem(
        'warning',
        'user.roles-label',
        `${base}.labels.${ROLES_ANNOTATION}`,
        `${who} has ${ROLES_ANNOTATION} as a label, which Epinio ignores: it reads only the annotation of that name.`,
      ),
    );
  }
  if (helmManaged) {
    problems.push(
      problem(
        'warning',
        'user.helm-managed',
        base,
        `${who} is managed by Helm: the next helm upgrade may overwrite its password and roles.`,
      ),
    );
  }
  return {
    username,
    secretName: secret.name,
    roles,
    rolesRaw,
    namespaces: lineList(secret.data.namespaces),
    gitconfigs: lineList(secret.data.gitconfigs),
    hasPassword,
    ...(passwordScheme ? { passwordScheme } : {}),
    secretType: secret.type,
    helmManaged,
    duplicate: false,
    problems,
  };
}

/** One user per Secret, in input order; Secrets sharing a username are all flagged (none of them can log in). */
export function usersFromSecrets(secrets: SecretObject[], knownRoles?: string[]): EpinioUser[] {
  const users = secrets.map((s) => userFromSecret(s, knownRoles));
  const byName = new Map<string, EpinioUser[]>();
  for (const u of users) if (u.username) byName.set(u.username, [...(byName.get(u.username) ?? []), u]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    const names = same.map((u) => u.secretName).join(', ');
    for (const u of same) {
      u.duplicate = true;
      u.problems.unshift(
        problem(
          'error',
          'user.duplicate',
          `users.${u.secretName}.data.username`,
          `user "${name}" is defined multiple times (Secrets ${names}): it cannot log in until only one Secret remains.`,
        ),
      );
    }
  }
  return users;
}
