// The generated password: the policy holds, every class is present, lengths stay inside bcrypt's
// 72 bytes, positions are uniform over the alphabet (a chi-square bound on many draws), and a
// broken random source is an error instead of an endless loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, generatedBits, GENERATED_LENGTH } from '../../../source/password/generate.js';
import { checkPassword } from '../../../source/password/policy.js';

test('generated passwords meet the policy, have every class and no look-alikes', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const pw = generatePassword();
    assert.equal(pw.length, GENERATED_LENGTH);
    assert.deepEqual(checkPassword(pw), []);
    assert.match(pw, /[A-Z]/);
    assert.match(pw, /[a-z]/);
    assert.match(pw, /[2-9]/);
    assert.match(pw, /[-_.!@#%+=]/);
    assert.doesNotMatch(pw, /[0O1lI\s'"`\\$]/);
    seen.add(pw);
  }
  assert.equal(seen.size, 500, 'no repeats');
  assert.ok(generatedBits() >= 120, `${generatedBits()} bits`);
});

test('length: at least the policy minimum and the class count, at most bcrypt 72 bytes', () => {
  assert.equal(generatePassword(2).length, 8);
  assert.equal(generatePassword(12, { minLength: 16 }).length, 16);
  assert.equal(generatePassword(200).length, 72);
  assert.equal(Buffer.byteLength(generatePassword(200)), 72);
});

test('uniform within each class (chi-square): only the every-class condition shapes the draw', () => {
  // Redrawing a password that misses a class makes the draw uniform over the passwords that have
  // every class; inside one class, all characters stay equally likely.
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '-_.!@#%+='];
  const counts = new Map<string, number>();
  for (let i = 0; i < 3000; i++)
    for (const ch of generatePassword()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  assert.equal(counts.size, 66, 'every character of the alphabet occurs');
  for (const members of classes) {
    const got = [...members].map((ch) => counts.get(ch) ?? 0);
    const expected = got.reduce((a, b) => a + b, 0) / members.length;
    const chi = got.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // p = 1e-6 for 7 to 24 degrees of freedom is below 60.
    assert.ok(chi < 60, `chi-square ${chi.toFixed(1)} within ${members}`);
  }
});

test('a random source that never yields every class is an error, not a hang', () => {
  assert.throws(() => generatePassword(20, undefined, () => 0), /could not generate a password/);
});
