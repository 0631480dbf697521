// What a password must satisfy before it is hashed for Epinio or Dex (epinio-formats.md §5).
export interface PasswordPolicy {
  minLength: number;
}

export const DEFAULT_POLICY: PasswordPolicy = { minLength: 8 };
/** bcrypt hashes only the first 72 bytes; Go refuses longer passwords outright. */
export const BCRYPT_MAX_BYTES = 72;
/** Costs offered for Epinio user passwords (Epinio accepts 4–31; 10–12 is also valid for Dex). */
export const EPINIO_COSTS = [10, 11, 12, 13, 14];
/** Issue contract: Epinio user Secrets default to cost 10, what the chart itself writes. */
export const EPINIO_DEFAULT_COST = 10;
/** Dex checks the cost of staticPasswords hashes at login; outside this range the login fails. */
export const DEX_COST_RANGE = { min: 10, max: 16 };
/** Dex static passwords default to 12, the cost Dex's documentation recommends. */
export const DEX_DEFAULT_COST = 12;
/** Every cost bcrypt itself accepts. */
export const BCRYPT_COST_RANGE = { min: 4, max: 31 };

export function overLengthMessage(bytes: number): string {
  return `the password is ${bytes} bytes long in UTF-8; bcrypt ignores every byte after the ${BCRYPT_MAX_BYTES}nd, so Epinio and Dex refuse it: use at most ${BCRYPT_MAX_BYTES} bytes (fewer characters when they are not ASCII)`;
}

/** [] when the password is acceptable; otherwise one message per rule it breaks. */
export function checkPassword(pw: string, policy: PasswordPolicy = DEFAULT_POLICY): string[] {
  if (pw.length === 0) return ['the password is empty: type a password (an empty one cannot log in)'];
  const problems: string[] = [];
  const bytes = Buffer.byteLength(pw, 'utf8');
  if (bytes > BCRYPT_MAX_BYTES) problems.push(overLengthMessage(bytes));
  const chars = [...pw].length;
  if (chars < policy.minLength) {
    problems.push(
      `the password has ${chars} character${chars === 1 ? '' : 's'}; use at least ${policy.minLength}`,
    );
  }
  return problems;
}
