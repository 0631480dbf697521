import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StoreError } from '../../../source/store/errors.js';
import { loadKubeconfig } from '../../../source/store/kube/kubeconfig.js';
import { listContexts } from '../../../source/store/connect.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eda-kubeconfig-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function kubeconfig(
  contexts: { name: string; server: string; namespace?: string }[],
  current?: string,
): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}-cluster`, '  cluster:', `    server: ${c.server}`);
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}-user`, '  user:', '    token: fake-token');
  lines.push('contexts:');
  for (const c of contexts) {
    lines.push(
      `- name: ${c.name}`,
      '  context:',
      `    cluster: ${c.name}-cluster`,
      `    user: ${c.name}-user`,
    );
    if (c.namespace) lines.push(`    namespace: ${c.namespace}`);
  }
  if (current) lines.push(`current-context: ${current}`);
  return lines.join('\n') + '\n';
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

const NO_HINT =
  'point at one with --kubeconfig PATH, or set KUBECONFIG, or create ~/.kube/config (e.g. from your cluster provider)';

function isStoreError(kind: string, message: string, hint?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof StoreError, String(err));
    assert.equal(err.kind, kind);
    assert.equal(err.message, message);
    if (hint !== undefined) assert.equal(err.hint, hint);
    return true;
  };
}

describe('kubeconfig loading', () => {
  it('--kubeconfig and --context select the cluster', async () => {
    const path = await file(
      'two.yaml',
      kubeconfig(
        [
          { name: 'a', server: 'https://a.example:6443' },
          { name: 'b', server: 'https://b.example:6443', namespace: 'ns-b' },
        ],
        'a',
      ),
    );
    const cur = await loadKubeconfig({ kubeconfig: path, env: {} });
    assert.equal(cur.context, 'a');
    assert.equal(cur.cluster.server, 'https://a.example:6443');
    const b = await loadKubeconfig({ kubeconfig: path, context: 'b', env: {} });
    assert.equal(b.cluster.server, 'https://b.example:6443');
    assert.equal(b.namespace, 'ns-b');
  });

  it('a missing --kubeconfig file is NoKubeconfig naming it', async () => {
    const path = join(dir, 'nope.yaml');
    await assert.rejects(
      loadKubeconfig({ kubeconfig: path, env: {} }),
      isStoreError(
        'NoKubeconfig',
        `no kubeconfig found: the file ${path} (--kubeconfig) does not exist`,
        NO_HINT,
      ),
    );
  });

  it('a bad context lists the available ones', async () => {
    const path = await file(
      'bad-ctx.yaml',
      kubeconfig(
        [
          { name: 'a', server: 'https://a:1' },
          { name: 'b', server: 'https://b:1' },
        ],
        'a',
      ),
    );
    await assert.rejects(
      loadKubeconfig({ kubeconfig: path, context: 'prod', env: {} }),
      isStoreError(
        'BadKubeconfig',
        `context "prod" not found in ${path}; available contexts: a, b`,
        'choose one of the available contexts with --context NAME',
      ),
    );
  });

  it('no current context and no --context asks to choose', async () => {
    const path = await file('nocur.yaml', kubeconfig([{ name: 'a', server: 'https://a:1' }]));
    await assert.rejects(
      loadKubeconfig({ kubeconfig: path, env: {} }),
      isStoreError('BadKubeconfig', `no current context in ${path}; available contexts: a`),
    );
  });

  it('KUBECONFIG merges a path list: first file wins per name and for current-context', async () => {
    const one = await file('one.yaml', kubeconfig([{ name: 'shared', server: 'https://first:1' }], 'shared'));
    const two = await file(
      'two-b.yaml',
      kubeconfig(
        [
          { name: 'shared', server: 'https://second:1' },
          { name: 'extra', server: 'https://extra:1' },
        ],
        'extra',
      ),
    );
    const env = { KUBECONFIG: [one, join(dir, 'missing.yaml'), two].join(delimiter) };
    const merged = await loadKubeconfig({ env });
    assert.equal(merged.context, 'shared');
    assert.equal(merged.cluster.server, 'https://first:1');
    assert.deepEqual(merged.sources, [one, two]);
    const extra = await loadKubeconfig({ env, context: 'extra' });
    assert.equal(extra.cluster.server, 'https://extra:1');
  });

  it('~/.kube/config is used when nothing else is set', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.kube'), { recursive: true });
    await writeFile(
      join(home, '.kube', 'config'),
      kubeconfig([{ name: 'h', server: 'https://home:1' }], 'h'),
    );
    const k = await loadKubeconfig({ env: {}, home });
    assert.equal(k.cluster.server, 'https://home:1');
  });

  it('no kubeconfig at all is NoKubeconfig, never http://localhost:8080', async () => {
    const home = join(dir, 'empty-home');
    await mkdir(home, { recursive: true });
    await assert.rejects(
      loadKubeconfig({ env: {}, home }),
      isStoreError(
        'NoKubeconfig',
        'no kubeconfig found (no --kubeconfig, KUBECONFIG unset, no ~/.kube/config, not running in a cluster)',
        NO_HINT,
      ),
    );
    await assert.rejects(
      loadKubeconfig({ env: { KUBECONFIG: join(dir, 'x.yaml') }, home }),
      isStoreError(
        'NoKubeconfig',
        `no kubeconfig found: none of the files in KUBECONFIG exist (${join(dir, 'x.yaml')})`,
      ),
    );
  });

  it('an unparsable kubeconfig is BadKubeconfig naming the file', async () => {
    const path = await file('garbage.yaml', 'clusters: [\n');
    await assert.rejects(loadKubeconfig({ kubeconfig: path, env: {} }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.kind, 'BadKubeconfig');
      assert.ok(err.message.startsWith(`cannot read kubeconfig ${path}: `), err.message);
      return true;
    });
  });

  it('listContexts describes every context', async () => {
    const path = await file(
      'list.yaml',
      kubeconfig(
        [
          { name: 'a', server: 'https://a:1', namespace: 'epinio' },
          { name: 'b', server: 'https://b:1' },
        ],
        'b',
      ),
    );
    assert.deepEqual(await listContexts({ kubeconfig: path }), [
      { name: 'a', cluster: 'a-cluster', server: 'https://a:1', namespace: 'epinio', current: false },
      { name: 'b', cluster: 'b-cluster', server: 'https://b:1', current: true },
    ]);
  });
});
