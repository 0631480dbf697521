// The History screen and the helm-upgrade offer in the Ink app (ink-testing-library) on the real
// kube-apiserver: the harness plays `helm upgrade` and the re-apply dialog opens on the next load;
// one confirmation puts the lost connector back. A 403 on the history Secret: the UI's save
// succeeds and a dialog names the warning and the local backup.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { applyDexEdits } from '../../source/domain/dexConfig.js';
import { openStore } from '../../source/store/connect.js';
import type { Store } from '../../source/store/types.js';
import {
  DEX_CONFIG_YAML,
  USERS_ONLY_WRITABLE,
  adminClient,
  createTestNamespace,
  getStack,
} from '../stack/env.js';
import { KEY, press, renderApp, waitText } from '../unit/ui/helpers.js';
import { HAND, helmRender } from './lib/helm.js';

process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'eda-history-ui-state-'));
afterEach(() => cleanup());

const storeAs = (ns: string, who: 'admin' | 'operator'): Promise<Store> =>
  openStore({ kubeconfig: getStack().kubeconfigs[who], namespace: ns, requestTimeoutMs: 20_000 });

async function configText(ns: string): Promise<string> {
  const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
  assert.equal(res.status, 200);
  return Buffer.from((res.body as { data: Record<string, string> }).data['config.yaml'], 'base64').toString(
    'utf8',
  );
}

describe('History in the UI (real API server)', () => {
  let ns: string;
  before(async () => {
    ns = await createTestNamespace('history-ui', { fixtures: true });
  });

  it('harness plays helm upgrade: the re-apply dialog opens on load and one confirmation re-applies the lost connector', async () => {
    await helmRender(ns, DEX_CONFIG_YAML, 'epinio-1.14.1');
    const tool = await storeAs(ns, 'admin');
    const base = await tool.getDexConfig();
    const saved = await tool.saveDexConfig({
      base,
      changes: { 'config.yaml': applyDexEdits(base.data['config.yaml'], [HAND]) },
    });
    await helmRender(
      ns,
      DEX_CONFIG_YAML.replace('skipApprovalScreen: true', 'skipApprovalScreen: false'),
      'epinio-1.14.2',
    );

    const app = renderApp(await storeAs(ns, 'admin'));
    const frame = () => app.lastFrame() ?? '';
    await waitText(frame, 'Re-apply after helm upgrade');
    const shown = frame();
    assert.match(shown, /Helm re-rendered dex-config \(chart epinio-1\.14\.1 → epinio-1\.14\.2\)/);
    assert.match(shown, new RegExp(`re-applies revision ${saved.revision}`));
    assert.match(shown, /\+ {2}id: "?hand"?/);
    assert.doesNotMatch(shown, /hand0secret0value/);
    // Cancel is the default; the one confirmation is the Save button.
    await press(app.stdin, KEY.tab, KEY.enter);
    await waitText(frame, 'Restart Dex now?');
    const now = await configText(ns);
    assert.match(now, /id: "?hand"?/);
    assert.match(now, /skipApprovalScreen: false/);
    await press(app.stdin, KEY.enter);
    // The History screen lists it, and the banner is gone.
    await press(app.stdin, '6');
    await waitText(frame, 're-applied after a helm upgrade: connector hand added');
    assert.match(frame(), new RegExp(`> ${saved.revision! + 1} +\\S+ \\S+ +admin +reapply`));
    assert.doesNotMatch(frame(), /revisions? [\d, ]+ lost/);
  });

  it('a 403 on the history Secret: the UI save succeeds and a dialog says the local backup is the copy', async () => {
    const fns = await createTestNamespace('history-ui-403', { fixtures: true });
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${fns}`;
    // dex-config and the user Secrets by name (so the UI stays writable), create without a name; no get on the history.
    const rules = [
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['dex-config', ...USERS_ONLY_WRITABLE],
        verbs: ['get', 'patch', 'delete'],
      },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'list'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] },
    ];
    assert.equal(
      (await adminClient().post(`${rbac}/roles`, { metadata: { name: 'op' }, rules })).status,
      201,
    );
    const binding = await adminClient().post(`${rbac}/rolebindings`, {
      metadata: { name: 'op' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'op' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'operator-two' }],
    });
    assert.equal(binding.status, 201);
    const app = renderApp(await storeAs(fns, 'operator'));
    const frame = () => app.lastFrame() ?? '';
    await waitText(frame, 'Corporate LDAP');
    await press(app.stdin, '4');
    await waitText(frame, 'admin@epinio.io');
    await press(app.stdin, 'd');
    await waitText(frame, 'Remove Dex local user');
    await press(app.stdin, KEY.tab, KEY.enter);
    await waitText(frame, 'unsaved changes (1)');
    await press(app.stdin, 'w');
    await waitText(frame, 'Save dex-config');
    await press(app.stdin, KEY.tab, KEY.enter);
    await waitText(frame, 'Restart Dex now?');
    await press(app.stdin, KEY.enter);
    await waitText(frame, 'Saved, but not in the shared history');
    assert.match(
      frame().replace(/\s*\n\s*/g, ' '),
      /revision not recorded in the cluster history: forbidden: cannot get secrets "dex-config-history"/,
    );
    assert.match(
      frame().replace(/\s*\n\s*/g, ' '),
      /the local backup[\s│]+\d{4}-\S+ keeps the previous values/,
    );
    assert.doesNotMatch(await configText(fns), /admin@epinio\.io/);
    await press(app.stdin, KEY.enter);
    // The History screen says why it is empty.
    await press(app.stdin, '6');
    await waitText(frame, 'the history cannot be read: forbidden: cannot get secrets "dex-config-history"');
  });
});
