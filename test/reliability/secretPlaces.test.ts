// Canaries in every place config.yaml can hold a secret, checked in every place the tool shows
// config.yaml: the save diff, the conflict diff, connector details (command and TUI), the backups
// listing and the debug log. Known connector types (schema flags), an unknown type (key pattern,
// nested), unknown top-level sections, a secret shared through a YAML alias, and commented-out
// `key: value` lines. One rule covers them all (source/domain/masking.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { DexConfigDocument } from '../../source/domain/dexConfig.js';
import { maskDexConfigText, maskedDataDiff } from '../../source/domain/diff.js';
import { maskConnectorConfig } from '../../source/domain/masking.js';
import { createFileStore } from '../../source/store/file/fileStore.js';
import { run } from '../unit/cli/harness.js';
import { KEY, renderApp, waitText } from '../unit/ui/helpers.js';

const tag = (what: string): string => `canary${what}${randomBytes(5).toString('hex')}`;

function plant() {
  const c = {
    storagePassword: tag('StoragePw'),
    vaultToken: tag('VaultToken'),
    pemLine: tag('Pem'),
    staticHash: `$2a$10$${tag('Hash')}`,
    uiSecret: tag('UiSecret'),
    githubSecret: tag('GithubSecret'),
    oldGithubSecret: tag('OldGithub'),
    bindPW: tag('BindPW'),
    acmeToken: tag('AcmeToken'),
    acmeKey: tag('AcmeKey'),
    acmeCredential: tag('AcmeCred'),
    commentedBindPW: tag('CommentBind'),
    commentedKey: tag('CommentKey'),
    mappingComment: tag('MappingComment'),
    dataKey: tag('DataKey'),
  };
  const config = `issuer: https://auth.example.com
storage:
  type: postgres
  config:
    host: db.example.com
    password: "${c.storagePassword}"
x-vault:
  apiToken: ${c.vaultToken}
  nested:
    privateKey: |
      -----BEGIN PRIVATE KEY-----
      ${c.pemLine}
      -----END PRIVATE KEY-----
enablePasswordDB: true
staticPasswords:
- email: "admin@epinio.io"
  hash: "${c.staticHash}"
  username: "admin"
staticClients:
- {id: epinio-ui, name: "Epinio UI", secret: "${c.uiSecret}"}
connectors:
- type: github
  id: github
  name: GitHub
  config:
    clientID: "Ov23liExample"
    clientSecret: "${c.githubSecret}"
    # clientSecret: "${c.oldGithubSecret}"
    redirectURI: https://auth.example.com/callback
- type: ldap
  id: ldap
  name: Corporate LDAP
  config: &ldap
    host: ldap.example.com:636
    bindDN: cn=svc,dc=example,dc=com
    bindPW: "${c.bindPW}"
    userSearch: {baseDN: "ou=people", username: uid, idAttr: uid, emailAttr: mail, nameAttr: cn}
- type: ldap
  id: ldap-copy
  name: LDAP copy
  config: *ldap
- type: acmeSSO
  id: acme
  name: Acme SSO
  config:
    apiToken: "${c.acmeToken}"
    auth:
      privateKey: "${c.acmeKey}"
      credentials: {user: svc, pass: "${c.acmeCredential}"}
# - type: ldap
#   config:
#     bindPW: ${c.commentedBindPW}
#     privateKey: |
#       ${c.commentedKey}
`;
  const mapping = `# token: ${c.mappingComment}\n- connectorId: github\n  groups:\n  - {id: "acme:ops", roles: ["admin"]}\n`;
  return { c, config, mapping };
}

function assertNoCanary(where: string, text: string, canaries: Record<string, string>): void {
  for (const [name, value] of Object.entries(canaries))
    assert.ok(!text.includes(value), `${where} shows the ${name} canary:\n${text}`);
}

/** The same config with every secret rotated: each planted value replaced by a new canary. */
function rotated(text: string, old: Record<string, string>) {
  const fresh = Object.fromEntries(Object.keys(old).map((k) => [k, tag(`New${k}`)]));
  let out = text;
  for (const k of Object.keys(old)) out = out.replaceAll(old[k]!, fresh[k]!);
  return { text: out, fresh };
}

function manifest(config: string, mapping: string, dataKey: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name: 'dex-config', namespace: 'epinio' },
        stringData: { 'config.yaml': config, rolesMapping: mapping, uiClientSecret: dataKey },
      },
    ],
  });
}

describe('secret canaries in every place config.yaml is shown', { concurrency: 1 }, () => {
  const { c, config, mapping } = plant();
  const data = { 'config.yaml': config, rolesMapping: mapping, uiClientSecret: c.dataKey };

  it('the config plants every canary where Dex reads it (not only in comments)', () => {
    const doc = DexConfigDocument.parse(config);
    const acme = doc.connector('acme')!;
    assert.equal(acme.config.apiToken, c.acmeToken);
    assert.equal(doc.connector('ldap-copy')!.config.bindPW, c.bindPW);
    assert.equal(doc.staticPasswords()[0]!.hash, c.staticHash);
  });

  it('save diff: rotating every secret shows *** (changed), never a value', () => {
    const after = rotated(config, c);
    const afterMapping = rotated(mapping, c);
    const lines = maskedDataDiff(data, {
      'config.yaml': after.text,
      rolesMapping: afterMapping.text,
      uiClientSecret: after.fresh.dataKey!,
    });
    const diff = lines.join('\n');
    assertNoCanary('the save diff', diff, c);
    assertNoCanary('the save diff', diff, after.fresh);
    assertNoCanary('the save diff', diff, afterMapping.fresh);
    for (const line of [
      '+    password: *** (changed)',
      '+  apiToken: *** (changed)',
      '+    clientSecret: *** (changed)',
      '+    bindPW: *** (changed)',
      '+    apiToken: *** (changed)',
      '+      privateKey: *** (changed)',
      '+      credentials: *** (changed)',
      '+  hash: *** (changed)',
      '+ *** (changed)',
    ])
      assert.ok(lines.includes(line), `missing ${JSON.stringify(line)} in:\n${diff}`);
  });

  it('masked config text: commented-out secrets, block values in comments', () => {
    const masked = maskDexConfigText(config);
    assertNoCanary('the masked config', masked, c);
    for (const line of [
      '    # clientSecret: ***',
      '#     bindPW: ***',
      '#     privateKey: |',
      '#       ***',
      '    privateKey: ***',
      'enablePasswordDB: true',
    ])
      assert.ok(masked.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${masked}`);
  });

  it('save diff of real edits: an unknown type, an aliased connector, a static hash', () => {
    const doc = DexConfigDocument.parse(config);
    doc.apply({ op: 'connector.set', id: 'acme', path: ['config', 'apiToken'], value: tag('Edited') });
    doc.apply({ op: 'connector.set', id: 'ldap-copy', path: ['config', 'host'], value: 'other:636' });
    doc.apply({ op: 'static.setHash', email: 'admin@epinio.io', hash: '$2a$10$canaryEditedHash' });
    doc.apply({ op: 'connector.move', id: 'github', to: 3 });
    const diff = maskedDataDiff(data, { ...data, 'config.yaml': doc.toString() }).join('\n');
    assertNoCanary('the edit diff', diff, { ...c, edited: 'canaryEdited' });
    assert.match(diff, /^\+ {4}apiToken: \*\*\* \(changed\)$/m);
  });

  it('conflict diff: what a colleague changed, secrets included, is masked', () => {
    const remote = rotated(config, c);
    const lines = maskedDataDiff(data, {
      ...data,
      'config.yaml': remote.text,
      uiClientSecret: remote.fresh.dataKey!,
    });
    assertNoCanary('the conflict diff', lines.join('\n'), { ...c, ...remote.fresh });
    assert.ok(lines.includes('+++ b/uiClientSecret') && lines.includes('+ *** (changed)'));
  });

  it('details: every connector masked by the domain, the command (3 formats) and the TUI', async () => {
    const doc = DexConfigDocument.parse(config);
    for (const conn of doc.connectors())
      assertNoCanary(`details of ${conn.id}`, JSON.stringify(maskConnectorConfig(conn.type, conn.config)), c);
    const dir = mkdtempSync(join(tmpdir(), 'eda-secret-places-'));
    const file = join(dir, 'epinio.yaml');
    writeFileSync(file, manifest(config, mapping, c.dataKey), { mode: 0o600 });
    const debugLog = join(dir, 'debug.log');
    for (const conn of doc.connectors())
      for (const output of ['table', 'json', 'yaml']) {
        const r = await run([
          'connectors',
          'show',
          conn.id,
          '--file',
          file,
          '-o',
          output,
          '--debug',
          debugLog,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assertNoCanary(`connectors show ${conn.id} -o ${output}`, r.stdout + r.stderr, c);
      }
    const shown = await run(['connectors', 'show', 'acme', '--file', file, '-o', 'json']);
    assert.deepEqual(JSON.parse(shown.stdout).config, {
      apiToken: '***',
      auth: { privateKey: '***', credentials: '***' },
    });

    const store = await createFileStore(file, { namespace: 'epinio', backupDir: join(dir, 'backups') });
    const app = renderApp(store);
    await waitText(app.lastFrame, 'Acme SSO');
    for (let i = 0; i < doc.connectors().length; i++) {
      app.stdin.write(KEY.enter);
      await waitText(app.lastFrame, 'reveal secrets');
      assertNoCanary(`the TUI details of connector ${i}`, app.lastFrame() ?? '', c);
      app.stdin.write(KEY.escape);
      await new Promise((r) => setTimeout(r, 50));
      app.stdin.write(KEY.down);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The TUI's save dialog: move the last connector up, then review.
    app.stdin.write('K');
    await waitText(app.lastFrame, 'unsaved');
    app.stdin.write('w');
    await waitText(app.lastFrame, 'Secrets are shown as ***');
    assertNoCanary('the TUI save dialog', app.lastFrame() ?? '', c);
    app.unmount();

    // A save through the store writes a backup; its listing shows no value.
    const base = await store.getDexConfig();
    await store.saveDexConfig({ base, changes: { rolesMapping: `${mapping}# saved\n` } });
    const backups = await store.listBackups();
    assert.equal(backups.length, 1);
    assertNoCanary('the backups listing', JSON.stringify(backups), c);
    assertNoCanary('the debug log', readFileSync(debugLog, 'utf8'), c);
  });
});
