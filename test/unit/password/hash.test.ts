import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { build } from 'esbuild';
import { hashPassword, setWorkerPath, verifyPassword } from '../../../source/password/hash.js';

describe('hashPassword / verifyPassword', () => {
  it('produces a $2b$ hash of the requested cost that bcrypt verifies', async () => {
    const hash = await hashPassword('correct horse', 10);
    assert.match(hash, /^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    assert.equal(bcrypt.compareSync('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('wrong horse', hash), false);
  });

  it('verifies the chart default hash ($2a$, password "password")', async () => {
    assert.equal(
      await verifyPassword('password', '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W'),
      true,
    );
    assert.equal(await verifyPassword('password', 'not-a-hash'), false);
  });

  it('keeps the event loop running while hashing at cost 12', async () => {
    let ticks = 0;
    let running = true;
    const spin = () => {
      ticks++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const hash = await hashPassword('a password', 12);
    running = false;
    assert.match(hash, /^\$2b\$12\$/);
    // Hashing on the main thread would let no callback run until it finished.
    assert.ok(ticks > 20, `only ${ticks} event-loop turns ran during hashing`);
  });

  it('rejects costs outside 4..31 and passwords bcrypt would truncate or cannot use', async () => {
    for (const cost of [3, 32, 10.5, Number.NaN]) {
      await assert.rejects(hashPassword('a password', cost), {
        name: 'RangeError',
        message: `bcrypt cost ${cost} is out of range: use a whole number from 4 to 31 (10–12 works for Epinio and Dex)`,
      });
    }
    await assert.rejects(hashPassword('a'.repeat(73), 10), {
      message: /^the password is 73 bytes long in UTF-8; bcrypt ignores every byte after the 72nd/,
    });
    await assert.rejects(hashPassword('', 10), { message: 'the password is empty: type a password' });
  });
});

describe('worker loading from a bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-worker-'));
  after(() => {
    setWorkerPath(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the path given to setWorkerPath (a bundled password-worker.js)', async () => {
    const out = join(dir, 'password-worker.js');
    await build({
      entryPoints: [fileURLToPath(new URL('../../../source/password/worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'silent',
    });
    setWorkerPath(out);
    const hash = await hashPassword('bundled secret', 4);
    assert.equal(bcrypt.compareSync('bundled secret', hash), true);
    setWorkerPath(join(dir, 'missing.js'));
    await assert.rejects(hashPassword('bundled secret', 4), { message: /^the password worker failed: / });
  });
});
