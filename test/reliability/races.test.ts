// Lost-update races on dex-config, against the real kube-apiserver and against a manifest file
// edited by a second process. Each round: our store loads dex-config, an independent writer changes
// it (half the rounds the SAME key we edit, half a DIFFERENT key), then our store saves.
// No lost update means, after every round: both intended changes are present, or ours was refused
// with a ConflictError and theirs is present. Figures: rounds, lost updates, conflicts, rebases.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConflictError } from '../../source/store/errors.js';
import { openStore } from '../../source/store/connect.js';
import type { Store } from '../../source/store/types.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { FULL } from './lib/rng.js';

const ROUNDS = FULL ? 1000 : 200;
const ROOT = new URL('../../', import.meta.url).pathname;
// Backups of every save go to a private directory, not the operator's state dir.
process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'eda-races-state-'));

interface Figures {
  rounds: number;
  lost: number;
  conflicts: number;
  rebases: number;
  unexpected: string[];
}

const OURS = 'rolesMapping';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');

/** One round's outcome against what was read back afterwards. */
function judge(
  f: Figures,
  round: number,
  same: boolean,
  outcome: { saved: true; rebased: boolean } | { saved: false; error: unknown },
  ours: string,
  theirs: { key: string; value: string },
  now: Record<string, string | undefined>,
): void {
  f.rounds++;
  const theirsPresent = now[theirs.key] === theirs.value;
  if (outcome.saved) {
    if (outcome.rebased) f.rebases++;
    if (!theirsPresent || now[OURS] !== ours) {
      f.lost++;
      f.unexpected.push(
        `round ${round} (${same ? 'same' : 'different'} key): saved, but theirs present=${theirsPresent}, ours present=${now[OURS] === ours}`,
      );
    } else if (same) {
      // Both sides changed the same key: saving over theirs would only be right if it was rebased
      // onto it, and the store must not do that silently.
      f.lost++;
      f.unexpected.push(`round ${round}: same key changed on both sides, yet the save went through`);
    }
    return;
  }
  if (outcome.error instanceof ConflictError) {
    f.conflicts++;
    if (!theirsPresent) {
      f.lost++;
      f.unexpected.push(`round ${round}: conflict reported, but their change is gone`);
    }
    if (!same)
      f.unexpected.push(
        `round ${round}: conflict although only a different key changed (${outcome.error.overlappingKeys.join(', ')})`,
      );
    return;
  }
  f.unexpected.push(
    `round ${round}: save failed with ${(outcome.error as Error)?.constructor?.name}: ${(outcome.error as Error)?.message}`,
  );
}

function print(label: string, f: Figures): void {
  console.log(
    `races ${label}: ${f.rounds} rounds, lost updates ${f.lost}, conflicts ${f.conflicts}, rebases ${f.rebases}, unexpected ${f.unexpected.length}`,
  );
  for (const u of f.unexpected.slice(0, 10)) console.log(`  ${u}`);
}

async function round(
  store: Store,
  i: number,
  writeTheirs: (key: string, value: string) => Promise<void>,
  readNow: () => Promise<Record<string, string | undefined>>,
  f: Figures,
): Promise<void> {
  const same = i % 2 === 0;
  const base = await store.getDexConfig();
  const plain = (base.data[OURS] ?? '').replace(/(# (ours|theirs) \d+\n)+$/, '');
  const ours = `${plain}# ours ${i}\n`;
  const theirs = same
    ? { key: OURS, value: `${plain}# theirs ${i}\n` }
    : { key: 'endpoint', value: `http://dex-${i}.epinio.svc.cluster.local:5556` };
  await writeTheirs(theirs.key, theirs.value);
  let outcome: { saved: true; rebased: boolean } | { saved: false; error: unknown };
  try {
    const r = await store.saveDexConfig({ base, changes: { [OURS]: ours } });
    outcome = { saved: true, rebased: r.rebased };
    if (r.rebased) assert.deepEqual(r.remoteChangedKeys, [theirs.key], `round ${i}: remoteChangedKeys`);
  } catch (error) {
    outcome = { saved: false, error };
  }
  judge(f, i, same, outcome, ours, theirs, await readNow());
}

describe('races on dex-config', { concurrency: 1 }, () => {
  let ns: string;
  before(async () => {
    ns = await createTestNamespace('races', { fixtures: true });
  });

  it(
    `kube store vs an independent client: ${ROUNDS} rounds, no lost update`,
    { timeout: 20 * 60_000 },
    async () => {
      const store = await openStore({
        kubeconfig: getStack().kubeconfigs.admin,
        namespace: ns,
        requestTimeoutMs: 30_000,
      });
      const client = adminClient();
      const path = `/api/v1/namespaces/${ns}/secrets/dex-config`;
      const f: Figures = { rounds: 0, lost: 0, conflicts: 0, rebases: 0, unexpected: [] };
      const readNow = async (): Promise<Record<string, string | undefined>> => {
        const res = await client.get(path);
        assert.equal(res.status, 200);
        const data = res.body.data as Record<string, string>;
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, unb64(v)]));
      };
      const writeTheirs = async (key: string, value: string): Promise<void> => {
        const res = await client.patch(path, { data: { [key]: b64(value) } });
        assert.equal(res.status, 200, `the other writer's patch: ${JSON.stringify(res.body).slice(0, 200)}`);
      };
      for (let i = 0; i < ROUNDS; i++) await round(store, i, writeTheirs, readNow, f);
      print('kube', f);
      assert.equal(f.rounds, ROUNDS);
      assert.equal(f.lost, 0);
      assert.deepEqual(f.unexpected, []);
      assert.equal(f.conflicts, ROUNDS / 2, 'every same-key round is a conflict');
      assert.equal(f.rebases, ROUNDS / 2, 'every different-key round is rebased');
    },
  );

  describe('manifest file store vs a second process', () => {
    let writer: ReturnType<typeof spawn>;
    let lines: AsyncIterator<string>;
    after(() => writer?.kill());

    it(`${ROUNDS} rounds, no lost update`, { timeout: 20 * 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eda-races-file-'));
      const file = join(dir, 'epinio.yaml');
      copyFileSync(join(ROOT, 'test/fixtures/manifests/list.yaml'), file);
      writer = spawn(process.execPath, [join(ROOT, 'test/reliability/lib/manifestWriter.mjs')], {
        stdio: ['pipe', 'pipe', 'inherit'],
        cwd: ROOT,
      });
      lines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
      const store = await openStore({ file, namespace: 'epinio', requestTimeoutMs: 30_000 });
      const f: Figures = { rounds: 0, lost: 0, conflicts: 0, rebases: 0, unexpected: [] };
      const writeTheirs = async (key: string, value: string): Promise<void> => {
        writer.stdin!.write(`${JSON.stringify({ file, key, value })}\n`);
        const answer = await lines.next();
        assert.equal(answer.value, 'ok', `the second process: ${answer.value}`);
      };
      // Read back independently of the store: the yaml package on the raw file.
      const readNow = async (): Promise<Record<string, string | undefined>> => {
        for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
          type Obj = {
            kind?: string;
            metadata?: { name?: string };
            data?: Record<string, string>;
            items?: Obj[];
          };
          const root = doc.toJS() as Obj;
          const dex = (root.kind === 'List' ? (root.items ?? []) : [root]).find(
            (o) => o.kind === 'Secret' && o.metadata?.name === 'dex-config',
          );
          if (dex) return Object.fromEntries(Object.entries(dex.data ?? {}).map(([k, v]) => [k, unb64(v)]));
        }
        throw new Error('dex-config vanished from the file');
      };
      for (let i = 0; i < ROUNDS; i++) await round(store, i, writeTheirs, readNow, f);
      print('file', f);
      assert.equal(f.rounds, ROUNDS);
      assert.equal(f.lost, 0);
      assert.deepEqual(f.unexpected, []);
      assert.equal(f.conflicts, ROUNDS / 2);
      assert.equal(f.rebases, ROUNDS / 2);
    });
  });
});
