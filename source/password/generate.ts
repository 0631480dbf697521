// Generated passwords for the password dialogs: node:crypto's CSPRNG (randomInt draws without modulo
// bias), from an alphabet without look-alikes (no 0/O, 1/l/I) so one can be read aloud or typed from
// a screen, with every character class present, and checked against the same policy as a typed one.
import { randomInt } from 'node:crypto';
import { BCRYPT_MAX_BYTES, checkPassword, DEFAULT_POLICY, type PasswordPolicy } from './policy.js';

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!@#%+='] as const;
const ALPHABET = CLASSES.join('');

/** 20 characters of a 66-character alphabet: about 120 bits, far past any online or offline guessing. */
export const GENERATED_LENGTH = 20;

/** Bits of entropy of a generated password of `length` (the class guarantee costs a fraction of a bit). */
export const generatedBits = (length = GENERATED_LENGTH): number =>
  Math.floor(length * Math.log2(ALPHABET.length));

export function generatePassword(
  length = GENERATED_LENGTH,
  policy: PasswordPolicy = DEFAULT_POLICY,
  random: (max: number) => number = (max) => randomInt(max),
): string {
  const size = Math.min(BCRYPT_MAX_BYTES, Math.max(length, policy.minLength, CLASSES.length));
  // With a fair source a draw misses a class in about 1 of 10 tries; 1,000 misses mean a broken source.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const chars = Array.from({ length: size }, () => ALPHABET[random(ALPHABET.length)]!);
    // Redrawn (not patched) when a class is missing, so every position stays uniform.
    if (!CLASSES.every((c) => chars.some((ch) => c.includes(ch)))) continue;
    const pw = chars.join('');
    if (checkPassword(pw, policy).length === 0) return pw;
  }
  throw new Error('could not generate a password that meets the policy (is the random source broken?)');
}
