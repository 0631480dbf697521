// The built TUI in tmux against the real kube-apiserver: a config.yaml the new Dex pod rejects is
// shown failed in the restart view with its termination message, and one key (b) restores the
// previous config.yaml, restarts and verifies again. The harness (test/stack/controllers.ts) plays
// the Deployment controller and kubelet; the pod's container is the real Dex.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../source/store/connect.js';
import { startHarness } from '../stack/controllers.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { binArgv, start } from './tmux.js';

const ISSUER = 'http://dex.restart-e2e.test/dex';
const SECRET = 'gh-secret-E2e7741kPq';
const GOOD = `issuer: ${ISSUER}
storage: { type: memory }
enablePasswordDB: true
connectors:
- type: github
  id: github
  name: GitHub
  config:
    clientID: gh-client
    clientSecret: "${SECRET}"
    redirectURI: ${ISSUER}/callback
`;
const REJECTED = `${GOOD}expiry: { idTokens: "${SECRET}" }\n`;

test(
  'restart view (harness plays the Deployment controller and kubelet): the new pod crash-loops, the view shows failed with the termination message, b rolls back and Dex is ready again',
  { timeout: 300_000 },
  async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'eda-e2e-restart-'));
    process.env.XDG_STATE_HOME = stateDir;
    const client = adminClient();
    const ns = await createTestNamespace('e2e-restart', { fixtures: true });
    const secretPath = `/api/v1/namespaces/${ns}/secrets/dex-config`;
    assert.equal((await client.patch(secretPath, { stringData: { 'config.yaml': GOOD } })).status, 200);
    const harness = await startHarness(client, ns);
    const kubeconfig = getStack().kubeconfigs.admin;
    // A save of a config Dex rejects (as the tool saves: precondition and backup of GOOD).
    const store = await openStore({ kubeconfig, namespace: ns, requestTimeoutMs: 10_000 });
    const base = await store.getDexConfig();
    await store.saveDexConfig({ base, changes: { 'config.yaml': REJECTED } });
    const s = await start(binArgv('--kubeconfig', kubeconfig, '-n', ns), {
      cols: 140,
      rows: 45,
      env: { XDG_STATE_HOME: stateDir },
    });
    try {
      await s.waitFor(/PROBLEMS[\s\S]*github/, { timeoutMs: 120_000 });
      await s.press('R', 'Restart Dex now?');
      await s.press('Tab', />\[ Restart Dex \]/);
      const failed = await s.press('Enter', /b roll back/, { timeoutMs: 90_000 });
      if (process.env.EDA_SHOW_SCREENS) console.log(failed);
      assert.match(failed, /failed: new Dex pod dex-\S+ (?:crashed|is crash-looping)/);
      assert.match(failed, /termination message:/);
      assert.match(failed, /invalid config value "\*\*\*" for id token expiry/);
      assert.ok(!failed.includes(SECRET), 'the secret value is on screen');
      const help = await s.press('?', /Keys: Restarting Dex/);
      assert.match(help, /b\s+roll back config\.yaml and restart again/);
      await s.press('Escape', /b roll back/);
      const after = await s.press('b', /rolled back: restored[\s\S]*ready: Dex restarted/, {
        timeoutMs: 90_000,
      });
      if (process.env.EDA_SHOW_SCREENS) console.log(after);
      assert.match(after, /Rolling back and restarting Dex/);
      const res = await client.get(secretPath);
      assert.equal(Buffer.from(res.body.data['config.yaml'], 'base64').toString('utf8'), GOOD);
      assert.equal(
        harness.events.filter((e) => e.what === 'ready').length,
        2,
        JSON.stringify(harness.events),
      );
    } finally {
      await s.stop();
      await harness.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
);
