// What a command asks the API server for on its way to the output (issue 15: ask for only what a
// command shows), counted at a loopback proxy between the CLI and the real kube-apiserver.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCountingProxy, type CountingProxy } from '../../bench/proxy.js';
import { createTestNamespace, getStack, getStackInfo } from '../stack/env.js';
import { run } from '../unit/cli/harness.js';

let proxy: CountingProxy;
let viaProxy: string[];
let direct: string[];

before(async () => {
  const info = getStackInfo();
  const ns = await createTestNamespace('start-requests', { fixtures: true });
  proxy = await startCountingProxy(info.server, readFileSync(info.caFile, 'utf8'));
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'eda-start-requests-')), 'kubeconfig.json');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'proxy', cluster: { server: proxy.url } }],
      users: [{ name: 'admin', user: { token: info.tokens.admin } }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'admin', namespace: ns } }],
      'current-context': 'proxy',
    }),
  );
  viaProxy = ['--kubeconfig', kubeconfig, '-n', ns];
  direct = ['--kubeconfig', getStack().kubeconfigs.admin, '-n', ns];
});
after(() => proxy.close());

/** The requests of one command, as `METHOD path-without-query` sorted (they run in parallel). */
async function requestsOf(argv: string[], codes = [0]): Promise<{ requests: string[]; stdout: string }> {
  proxy.log.length = 0;
  const r = await run([...argv, ...viaProxy]);
  assert.ok(codes.includes(r.code), `exit ${r.code}: ${r.stderr}`);
  return { requests: proxy.log.map((q) => `${q.method} ${q.path.split('?')[0]}`).sort(), stdout: r.stdout };
}

describe('requests on the start path (counted at a proxy, real API server)', () => {
  it('users list reads the users, the roles, the server start and dex-config: no Deployments', async () => {
    const { requests, stdout } = await requestsOf(['users', 'list', '-o', 'json']);
    const ns = viaProxy[3];
    assert.deepEqual(requests, [
      `GET /api/v1/namespaces/${ns}/configmaps`,
      `GET /api/v1/namespaces/${ns}/pods`,
      `GET /api/v1/namespaces/${ns}/secrets`,
      `GET /api/v1/namespaces/${ns}/secrets/dex-config`,
    ]);
    // The same output as with the whole snapshot read straight from the API server.
    const full = await run(['users', 'list', '-o', 'json', ...direct]);
    assert.equal(stdout, full.stdout);
    assert.equal((JSON.parse(stdout) as unknown[]).length, 4);
  });

  it('validate still reads the Epinio and Dex Deployments (their versions decide problems)', async () => {
    const { requests } = await requestsOf(['validate', '-o', 'json'], [0, 1]); // 1: the fixtures' problems
    const deployments = requests.filter((r) => r.includes('/deployments/'));
    assert.deepEqual(deployments, [
      `GET /apis/apps/v1/namespaces/${viaProxy[3]}/deployments/dex`,
      `GET /apis/apps/v1/namespaces/${viaProxy[3]}/deployments/epinio-server`,
    ]);
  });
});
