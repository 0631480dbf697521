// Identifiers that hold characters which draw nothing: `ad\u200bmin` looks like `admin` on every
// screen but is another user, role, group or connector, so a mapping or a login silently misses.
import type { Problem } from './problems.js';
import { invisibleCharacters, showInvisible } from './sanitize.js';

export function invisibleProblem(what: string, value: string, path: string): Problem | undefined {
  const found = invisibleCharacters(value);
  if (!found.length) return undefined;
  const looksLike = value.replace(
    new RegExp(`[${found.map((u) => `\\u{${u.slice(2)}}`).join('')}]`, 'gu'),
    '',
  );
  return {
    severity: 'warning',
    code: 'identifier.invisible-characters',
    path,
    message: `the ${what} "${showInvisible(value)}" contains invisible characters (${found.join(', ')}): it looks like "${looksLike}" but is a different ${what}; retype it without them.`,
  };
}
