// The Logins tab on file stores: the demo's logins with their user Secrets, the degraded states as
// one reason line and one hint line, and hostile IdP values (groups, emails) drawn sanitized.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { createFileStore } from '../../../source/store/file/fileStore.js';
import { FIXTURE } from '../cli/harness.js';
import { press, renderApp, spiedDemoStore, waitFor, waitText } from './helpers.js';

afterEach(() => cleanup());

test('5 opens Logins: one row per identity, its groups, and the user Secret it is', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store, { size: { columns: 100, rows: 40 } });
  await waitText(lastFrame, 'PROBLEMS');
  await press(stdin, '5');
  const f = await waitText(lastFrame, '6 of 6 identities seen by Dex');
  assert.match(f, /ldap +ops@example\.com +epinio-admins,epinio-viewers +2025-03-04 07:02Z +secret/);
  assert.match(f, /github +sam\.newhire@example\.com +acme:platform-admins,acme:d… 2025-03-04 09:30Z +new/);
  assert.ok(!f.includes('demo-fake'));
  // The first row's detail: its user Secret and roles now.
  assert.match(
    f,
    /Epinio user Secret ruser-janedoeexamplecom-3d0829e1983f97eda300ea9c038956c7d7080966 · roles now: ad/,
  );
  await press(stdin, 'j');
  const g = await waitText(lastFrame, 'no user Secret yet');
  assert.match(
    g,
    /! no user Secret yet: epinio-server creates it at this identity's next request as ruser-samnew/,
  );
  // Read once for this load, whatever the number of renders.
  assert.equal(calls.filter((c) => c.method === 'listLogins').length, 1);
});

test('a file without Dex objects: the reason in one line and what to do in the next', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-ui-logins-'));
  const store = await createFileStore(FIXTURE, { backupDir: dir, readOnly: true });
  const { lastFrame, stdin } = renderApp(store, { size: { columns: 100, rows: 30 } });
  await waitText(lastFrame, 'PROBLEMS');
  await press(stdin, '5');
  const f = await waitText(lastFrame, 'logins unavailable');
  const text = f.replace(/\s*\n\s*/g, ' ');
  assert.match(
    text,
    /! logins unavailable: .*epinio\.yaml holds no dex\.coreos\.com\/v1 RefreshToken or OfflineSessions objects in namespace "epinio"/,
  );
  assert.match(
    text,
    /→ add them to the file with: kubectl get refreshtokens\.dex\.coreos\.com,offlinesessionses\.dex\.coreos\.com -n epinio -o yaml/,
  );
});

test('another storage type is named; an empty storage says no logins recorded yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-ui-logins-'));
  const dex = (storage: string) => `apiVersion: v1
kind: Secret
metadata: { name: dex-config, namespace: epinio }
stringData:
  config.yaml: |
    issuer: https://auth.example.com
    storage: { type: ${storage} }
`;
  const session = `---
apiVersion: dex.coreos.com/v1
kind: OfflineSessions
metadata: { name: s1, namespace: epinio }
userID: u1
connID: ldap
`;
  writeFileSync(join(dir, 'memory.yaml'), dex('memory'));
  writeFileSync(join(dir, 'empty.yaml'), dex('kubernetes') + session);
  for (const [file, text] of [
    [
      'memory.yaml',
      'logins unavailable: Dex\'s config.yaml (dex-config in namespace "epinio") says storage type "memory"',
    ],
    ['empty.yaml', 'no logins recorded yet'],
  ] as const) {
    const store = await createFileStore(join(dir, file), { backupDir: dir });
    const { lastFrame, stdin, unmount } = renderApp(store, { size: { columns: 120, rows: 30 } });
    await waitText(lastFrame, 'PROBLEMS');
    await press(stdin, '5');
    await waitText(lastFrame, text);
    unmount();
  }
});

test('hostile groups and emails from an IdP are drawn without escapes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eda-ui-logins-'));
  const file = join(dir, 'hostile.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Secret
metadata: { name: dex-config, namespace: epinio }
stringData:
  config.yaml: "issuer: https://auth.example.com\\nstorage: {type: kubernetes}\\n"
---
apiVersion: dex.coreos.com/v1
kind: RefreshToken
metadata: { name: rt1, namespace: epinio }
LastUsed: "2026-01-02T00:00:00Z"
claims:
  userID: u1
  email: "evil\\e]0;PWNED\\a@x.io"
  groups: ["adm\\e[31mins", "ops\\u202e"]
connectorID: "gh\\e[2J"
`,
  );
  const store = await createFileStore(file, { backupDir: dir });
  const { lastFrame, stdin } = renderApp(store, { size: { columns: 100, rows: 30 } });
  await waitText(lastFrame, 'PROBLEMS');
  await press(stdin, '5');
  const f = await waitFor(lastFrame, (x) => x.includes('1 of 1 identities'), 'the hostile login');
  assert.doesNotMatch(f, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.ok(!f.includes('PWNED'));
  assert.match(f, /evil@x\.io/);
  assert.match(f, /admins,ops\\u202e/);
});
