// The file store against a second process that rewrites the manifest in a tight loop (bursts of
// 5-20 writes, 0-3 ms apart, so they land before, during and after our read, check and swap).
// Lost means: a write of the other process that our save overwrote with an older version (the
// writer sees it when its next read does not find its own previous value, and at the end of each
// round the file must hold its last write). Nothing may be lost; our save may be refused.
// With `lock` the writer takes the tool's lock file (another epinio-dex-admin): then our saved value
// must also survive. With `rename` it ignores the lock (sed -i, kubectl, an editor): it can drop our
// write itself (its read-modify-write is not ours to guard), which is counted, not failed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConflictError, StoreError } from '../../source/store/errors.js';
import { createFileStore } from '../../source/store/file/fileStore.js';
import { FULL, Rng, pickSeed } from './lib/rng.js';

const ROUNDS = Number(process.env.EDA_FILE_RACE_ROUNDS) || (FULL ? 1000 : 100);
const ROOT = new URL('../../', import.meta.url).pathname;
const state = mkdtempSync(join(tmpdir(), 'eda-file-races-'));
after(() => rmSync(state, { recursive: true, force: true }));

const unb64 = (s: string | undefined) =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');

/** dex-config's data as another reader sees it: the yaml package on the raw file. */
function readNow(file: string): Record<string, string | undefined> {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    type Obj = { kind?: string; metadata?: { name?: string }; data?: Record<string, string>; items?: Obj[] };
    const root = doc.toJS() as Obj;
    const dex = (root.kind === 'List' ? (root.items ?? []) : [root]).find(
      (o) => o.kind === 'Secret' && o.metadata?.name === 'dex-config',
    );
    if (dex) return Object.fromEntries(Object.entries(dex.data ?? {}).map(([k, v]) => [k, unb64(v)]));
  }
  throw new Error('dex-config vanished from the file');
}

for (const mode of ['lock', 'rename'] as const) {
  describe(`file store vs a writer in a tight loop (${mode === 'lock' ? 'takes the lock' : 'ignores the lock'})`, () => {
    it(`${ROUNDS} rounds: no write of the other process is lost`, { timeout: 30 * 60_000 }, async () => {
      const rng = new Rng(pickSeed(`file races (${mode})`));
      const dir = mkdtempSync(join(state, `${mode}-`));
      const file = join(dir, 'epinio.yaml');
      copyFileSync(join(ROOT, 'test/fixtures/manifests/list.yaml'), file);
      const writer = spawn(
        process.execPath,
        [join(ROOT, 'test/reliability/lib/loopWriter.mjs'), file, mode],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
          cwd: ROOT,
        },
      );
      const lines = createInterface({ input: writer.stdout })[Symbol.asyncIterator]();
      const store = await createFileStore(file, { backupDir: join(dir, 'backups') });
      const f = {
        saved: 0,
        rebased: 0,
        refused: 0,
        lostTheirs: 0,
        lostOurs: 0,
        droppedByWriter: 0,
        writes: 0,
        missing: 0,
      };
      const unexpected: string[] = [];
      const t0 = Date.now();
      try {
        for (let i = 0; i < ROUNDS; i++) {
          const base = await store.getDexConfig();
          writer.stdin.write(`burst ${rng.range(5, 20)}\n`);
          const ours = `# ours ${i}\n[]\n`;
          let saved = false;
          try {
            const r = await store.saveDexConfig({ base, changes: { rolesMapping: ours } });
            saved = true;
            f.saved++;
            if (r.rebased) f.rebased++;
          } catch (err) {
            // Refusing is allowed; anything but a conflict is not.
            if (err instanceof ConflictError || (err instanceof StoreError && err.kind === 'Conflict'))
              f.refused++;
            else unexpected.push(`round ${i}: ${(err as Error).message}`);
          }
          const answer = (await lines.next()).value as string;
          const m = /^done (\d+) (\d+) (\d+)$/.exec(answer);
          assert.ok(m, `the writer: ${answer}`);
          const [last, lostSoFar, missingSoFar] = [Number(m[1]), Number(m[2]), Number(m[3])];
          f.writes = last;
          f.missing = missingSoFar;
          const now = readNow(file);
          if (now.endpoint !== `w-${last}`) {
            f.lostTheirs++;
            unexpected.push(
              `round ${i}: the writer's last write w-${last} is gone (file has ${now.endpoint})`,
            );
          }
          if (lostSoFar > f.lostTheirs) f.lostTheirs = lostSoFar;
          if (saved && now.rolesMapping !== ours) {
            if (mode === 'lock') {
              f.lostOurs++;
              unexpected.push(`round ${i}: our save returned, yet the file has no trace of it`);
            } else f.droppedByWriter++;
          }
        }
      } finally {
        writer.kill();
      }
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      console.log(
        `file races (${mode}): ${ROUNDS} rounds in ${seconds} s, ${f.writes} writes of the other process, ` +
          `lost ${f.lostTheirs}; our saves: ${f.saved} saved (${f.rebased} rebased), ${f.refused} refused as conflicts, ` +
          `${mode === 'lock' ? `${f.lostOurs} lost` : `${f.droppedByWriter} overwritten later by the writer (it ignores the lock)`}; ` +
          `the writer found the file missing ${f.missing} times (our swap)`,
      );
      for (const u of unexpected.slice(0, 10)) console.log(`  ${u}`);
      assert.deepEqual(unexpected, []);
      assert.equal(f.lostTheirs, 0);
      assert.ok(f.saved > 0, 'some saves must go through, or nothing was tested');
      assert.ok(f.rebased > 0, 'some saves must have been rebased onto a write of the other process');
    });
  });
}
