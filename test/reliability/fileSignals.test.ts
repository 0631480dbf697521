// A save killed half-way: a real child process saving a manifest in a loop gets SIGTERM, SIGINT,
// SIGHUP or SIGKILL the moment its temp copy appears (inotify on the directory). After the catchable
// signals nothing is left beside the file and the child died of the signal; after SIGKILL the temp
// copy (0600) and the lock may be left, and the next open removes them. The file always loads, with
// one of the values that were saved (never half of one).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFileStore } from '../../source/store/file/fileStore.js';
import { bigManifest } from '../../bench/bigManifest.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-signals-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const besides = async (sub: string) => (await readdir(sub)).filter((f) => f.startsWith('.'));

/** Starts the saving child and kills it with `signal` when its first temp copy appears. */
async function killMidSave(
  sub: string,
  file: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; tmpMode?: number; seen: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/reliability/lib/saveLoop.ts'), file, join(sub, 'backups')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.on('exit', () => reject(new Error('the saving child exited before it was ready')));
  });
  let seen = '';
  let tmpMode: number | undefined;
  await new Promise<void>((resolve) => {
    const w = watch(sub, (_event, name) => {
      if (seen || !name || !/\.tmp$/.test(name)) return;
      seen = name;
      child.kill(signal);
      w.close();
      stat(join(sub, name)).then(
        (st) => {
          tmpMode = st.mode & 0o777;
          resolve();
        },
        () => resolve(),
      );
    });
  });
  const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  return { code, signal: sig, tmpMode, seen };
}

describe('a save killed half-way', { concurrency: 1 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGKILL'] as const) {
    it(
      `${signal} during a save: the file loads whole${signal === 'SIGKILL' ? '; the next open removes the leftovers' : ', nothing is left beside it'}`,
      { timeout: 120_000 },
      async () => {
        const sub = join(dir, signal);
        await mkdir(sub);
        const file = join(sub, 'epinio.yaml');
        await writeFile(file, bigManifest(3000), { mode: 0o644 });
        const r = await killMidSave(sub, file, signal);
        assert.match(r.seen, /^\.epinio\.yaml\.\d+\.[0-9a-f]{8}\.tmp$/);
        if (r.tmpMode !== undefined) assert.equal(r.tmpMode, 0o600, 'the temp copy holds secrets: 0600');
        // The child died of the signal (our handler cleans up, then lets the signal do its work).
        assert.equal(r.signal, signal);
        const left = await besides(sub);
        if (signal !== 'SIGKILL') assert.deepEqual(left, []);
        const store = await createFileStore(file, { backupDir: join(sub, 'backups') });
        assert.deepEqual(await besides(sub), [], `left after the next open: ${left.join(', ')}`);
        const mapping = (await store.getDexConfig()).data.rolesMapping;
        assert.match(mapping ?? '', /^(?:# save \d+\n\[\]\n|- connectorId: github\n[\s\S]*)$/);
        assert.equal((await stat(file)).mode & 0o777, 0o644);
        console.log(`${signal}: killed at ${r.seen}; left by the kill: ${left.join(', ') || 'nothing'}`);
      },
    );
  }
});
