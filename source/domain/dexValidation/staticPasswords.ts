// Static password rules (epinio-formats.md §2.3): shape, emails, bcrypt hashes and their cost.
import { olderThan } from '../dexVersion.js';
import { isPlainObject } from '../dexYaml.js';
import { isEmpty, kindName, type Collector, type Path } from './shared.js';

export const CHART_DEFAULT_HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';

/** What Go's bcrypt.Cost accepts: `$2[minor]$NN$` + 53 characters, cost 4..31. */
export function bcryptCost(hash: string): number | undefined {
  const m = /^\$2[a-z]?\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(hash);
  if (!m) return undefined;
  const cost = Number(m[1]);
  return cost >= 4 && cost <= 31 ? cost : undefined;
}

/** Dex accepts a bcrypt string or base64 of one. */
function dexHashCost(hash: string): number | undefined {
  const direct = bcryptCost(hash);
  if (direct !== undefined) return direct;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(hash)) return undefined;
  return bcryptCost(Buffer.from(hash, 'base64').toString('latin1'));
}

export function validateStatic(
  out: Collector,
  view: Record<string, unknown>,
  dexVersion: string | undefined,
): void {
  const list = view.staticPasswords;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    out.add(
      'error',
      'static.type',
      ['staticPasswords'],
      `staticPasswords must be a list, but Dex reads ${kindName(list)}: Dex refuses to start.`,
    );
    return;
  }
  if (list.length > 0 && view.enablePasswordDB !== true) {
    out.add(
      'error',
      'static.without-passworddb',
      ['enablePasswordDB'],
      'staticPasswords are set but enablePasswordDB is not true: Dex refuses to start ("cannot specify static passwords without enabling password db"). Enable the password database or remove the static passwords.',
    );
  }
  const emails = new Map<string, number>();
  list.forEach((entry, i) => {
    const base: Path = ['staticPasswords', i];
    if (!isPlainObject(entry)) {
      out.add(
        'error',
        'static.type',
        base,
        `staticPasswords[${i}] must be a mapping with email and hash, but Dex reads ${kindName(entry)}: Dex refuses to start.`,
      );
      return;
    }
    for (const key of ['email', 'username', 'name', 'userID', 'hash', 'hashFromEnv', 'preferredUsername']) {
      if (entry[key] !== undefined && entry[key] !== null && typeof entry[key] !== 'string') {
        out.add(
          'error',
          'static.type',
          [...base, key],
          `staticPasswords[${i}].${key} must be text, but Dex reads ${kindName(entry[key])}: Dex refuses to start. Quote it.`,
        );
      }
    }
    const email = typeof entry.email === 'string' ? entry.email : '';
    const who = email ? `"${email}"` : `staticPasswords[${i}]`;
    if (!email)
      out.add(
        'error',
        'static.email',
        [...base, 'email'],
        `staticPasswords[${i}] has no email: Dex starts, but every login of this user fails (the password database logs users in by email).`,
      );
    else {
      const prev = emails.get(email.toLowerCase());
      if (prev !== undefined) {
        out.add(
          'error',
          'static.duplicate-email',
          [...base, 'email'],
          `the email ${who} is also used by staticPasswords[${prev}] (emails are compared without case): Dex starts, but keeps only the later entry, so every login of the earlier user fails. Remove one.`,
        );
      } else emails.set(email.toLowerCase(), i);
    }
    const hash = typeof entry.hash === 'string' ? entry.hash : '';
    if (!hash) {
      if (isEmpty(entry.hashFromEnv))
        out.add(
          'error',
          'static.no-hash',
          [...base, 'hash'],
          `static password ${who} has no hash: Dex refuses to start ("no password hash provided"). Set a password.`,
        );
    } else {
      const cost = dexHashCost(hash);
      if (cost === undefined)
        out.add(
          'error',
          'static.hash',
          [...base, 'hash'],
          `the hash of static password ${who} is not a bcrypt hash: Dex refuses to start ("malformed bcrypt hash"). Set the password again.`,
        );
      else if (cost < 10 || cost > 16)
        out.add(
          'error',
          'static.cost',
          [...base, 'hash'],
          `the hash of static password ${who} has bcrypt cost ${cost}, but Dex accepts only 10 to 16: Dex starts, but every login of this user fails. Set the password again (cost 12).`,
        );
      if (hash === CHART_DEFAULT_HASH)
        out.add(
          'warning',
          'static.default-password',
          [...base, 'hash'],
          `static password ${who} still has the chart's default password "password": anyone who knows the default can log in. Change it.`,
        );
    }
    if (isEmpty(entry.userID))
      out.add(
        'warning',
        'static.user-id',
        [...base, 'userID'],
        `static password ${who} has no userID: users without one share one Dex subject. Give it a UUID.`,
      );
    for (const key of ['groups', 'preferredUsername']) {
      if (entry[key] !== undefined && olderThan(dexVersion, 'v2.45.0'))
        out.add(
          'warning',
          'static.since',
          [...base, key],
          `${key} of static password ${who} needs Dex v2.45.0 or newer: Dex ${dexVersion} silently ignores it.`,
        );
    }
    if (entry.groups !== undefined && entry.groups !== null && !Array.isArray(entry.groups)) {
      out.add(
        'error',
        'static.type',
        [...base, 'groups'],
        `groups of static password ${who} must be a list: Dex refuses to start.`,
      );
    }
  });
}
