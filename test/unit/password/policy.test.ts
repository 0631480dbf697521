import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPassword,
  DEX_COST_RANGE,
  EPINIO_COSTS,
  EPINIO_DEFAULT_COST,
} from '../../../source/password/policy.js';

describe('checkPassword', () => {
  it('accepts a reasonable password', () => {
    assert.deepEqual(checkPassword('correct horse battery'), []);
    assert.deepEqual(checkPassword('a'.repeat(72)), []);
  });

  it('rejects an empty password', () => {
    assert.deepEqual(checkPassword(''), [
      'the password is empty: type a password (an empty one cannot log in)',
    ]);
  });

  it('rejects more than 72 UTF-8 bytes with the reason, counting bytes not characters', () => {
    const msg = (n: number) =>
      `the password is ${n} bytes long in UTF-8; bcrypt ignores every byte after the 72nd, so Epinio and Dex refuse it: use at most 72 bytes (fewer characters when they are not ASCII)`;
    assert.deepEqual(checkPassword('a'.repeat(73)), [msg(73)]);
    const accented = 'é'.repeat(37); // 37 characters, 74 bytes
    assert.deepEqual(checkPassword(accented), [msg(74)]);
    assert.deepEqual(checkPassword('é'.repeat(36)), []);
  });

  it('enforces the minimum length in characters, configurable', () => {
    assert.deepEqual(checkPassword('short'), ['the password has 5 characters; use at least 8']);
    assert.deepEqual(checkPassword('x', { minLength: 8 }), ['the password has 1 character; use at least 8']);
    assert.deepEqual(checkPassword('short', { minLength: 4 }), []);
    assert.deepEqual(checkPassword('日本語日本語日本', { minLength: 8 }), []);
  });

  it('exposes the cost constants', () => {
    assert.deepEqual(EPINIO_COSTS, [10, 11, 12, 13, 14]);
    assert.equal(EPINIO_DEFAULT_COST, 10);
    assert.deepEqual(DEX_COST_RANGE, { min: 10, max: 16 });
  });
});
