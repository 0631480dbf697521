// Canary: Dex's token values never leave the process. RefreshToken and OfflineSessions objects with
// unique canary values in every secret field (token, obsoleteToken, nonce, connectorData, and the
// session's connectorData) are put into the real kube-apiserver; then the built binary runs
// `logins list` in every output format with --debug FILE (its argv and environment sampled from
// /proc while it runs), and the TUI's Logins screen runs in-process on a store against the same
// API server with the debug log on. Checked: stdout, stderr, every debug log, every frame the TUI
// drew, the /proc samples; each canary raw and base64-encoded (as Go stores []byte).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { enableDebugLog } from '../../source/debug.js';
import { openStore } from '../../source/store/connect.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import {
  createAll,
  ensureDexCrds,
  offlineSessionsObject,
  refreshTokenObject,
  type PlantedLogin,
} from '../stack/dexStorage.js';
import { press, renderApp, waitText } from '../unit/ui/helpers.js';
import { runBin } from './lib/cli.js';

const tag = (what: string): string => `canary${what}${randomBytes(6).toString('hex')}`;
const work = mkdtempSync(join(tmpdir(), 'eda-logins-canary-'));
const LOGINS: PlantedLogin[] = ['ldap', 'github', 'local'].map((connectorId, i) => ({
  name: `canary-rt-${i}`,
  connectorId,
  userId: `user-${i}`,
  username: `Canary User ${i}`,
  email: `canary${i}@example.com`,
  groups: [`group-${i}`, 'everyone'],
  token: tag(`Token${i}`),
  obsoleteToken: tag(`Obsolete${i}`),
  nonce: tag(`Nonce${i}`),
  connectorData: tag(`ConnData${i}`),
}));
const SESSION_DATA = LOGINS.map((_, i) => tag(`SessionData${i}`));
const CANARIES = [
  ...LOGINS.flatMap((l) => [l.token, l.obsoleteToken!, l.nonce!, l.connectorData!]),
  ...SESSION_DATA,
];
const forms = (c: string) => [
  c,
  Buffer.from(c).toString('base64'),
  Buffer.from(c).toString('base64').slice(0, 16),
];

let ns: string;
const places: { where: string; text: string }[] = [];

describe('canary: Dex token values appear in no output, log or frame', { concurrency: 1 }, () => {
  before(async () => {
    ns = await createTestNamespace('logins-canary', { fixtures: true });
    const admin = adminClient();
    await ensureDexCrds(admin);
    await createAll(
      admin,
      ns,
      'refreshtokens',
      LOGINS.map((l) => refreshTokenObject(ns, l)),
    );
    await createAll(
      admin,
      ns,
      'offlinesessionses',
      LOGINS.map((l, i) => offlineSessionsObject(ns, l, SESSION_DATA[i])),
    );
    // The canaries are really there for the tool to read.
    const raw = JSON.stringify(
      (await admin.get(`/apis/dex.coreos.com/v1/namespaces/${ns}/refreshtokens`)).body,
    );
    const rawSessions = JSON.stringify(
      (await admin.get(`/apis/dex.coreos.com/v1/namespaces/${ns}/offlinesessionses`)).body,
    );
    for (const l of LOGINS) for (const c of [l.token, l.obsoleteToken!, l.nonce!]) assert.ok(raw.includes(c));
    for (const l of LOGINS) assert.ok(raw.includes(Buffer.from(l.connectorData!).toString('base64')));
    for (const d of SESSION_DATA) assert.ok(rawSessions.includes(Buffer.from(d).toString('base64')));
  });

  it(
    'logins list in table, json and yaml (built binary, --debug, /proc sampled)',
    { timeout: 5 * 60_000 },
    async () => {
      const kube = ['--kubeconfig', getStack().kubeconfigs.admin, '-n', ns, '--request-timeout', '30s'];
      for (const output of ['table', 'json', 'yaml']) {
        const debugFile = join(work, `debug-${output}.log`);
        const r = await runBin(['logins', 'list', '-o', output, ...kube, '--debug', debugFile], {
          sample: true,
        });
        assert.equal(r.code, 0, r.stderr);
        // The command did its work: every planted identity with its groups.
        for (const l of LOGINS) {
          assert.ok(r.stdout.includes(l.email), `${output}: ${l.email} missing`);
          assert.ok(r.stdout.includes(`group-${LOGINS.indexOf(l)}`));
        }
        const log = readFileSync(debugFile, 'utf8');
        assert.match(
          log,
          /GET \/apis\/dex\.coreos\.com\/v1\/namespaces\/[^ ]+\/refreshtokens\?limit=500 -> 200/,
        );
        places.push(
          { where: `logins list -o ${output}: stdout`, text: r.stdout },
          { where: `logins list -o ${output}: stderr`, text: r.stderr },
          { where: `logins list -o ${output}: debug log`, text: log },
          ...r.samples.map((s) => ({
            where: `logins list -o ${output}: /proc/${s.pid}/${s.what}`,
            text: s.text,
          })),
        );
      }
    },
  );

  it('the TUI Logins screen on a store against the API server, debug log on', async () => {
    const debugFile = join(work, 'debug-tui.log');
    enableDebugLog(debugFile);
    const store = await openStore({
      kubeconfig: getStack().kubeconfigs.admin,
      namespace: ns,
      requestTimeoutMs: 20_000,
    });
    const app = renderApp(store, { size: { columns: 120, rows: 40 } });
    try {
      await waitText(app.lastFrame, 'PROBLEMS');
      await press(app.stdin, '5');
      const f = await waitText(app.lastFrame, '3 of 3 identities seen by Dex');
      for (const l of LOGINS) assert.ok(f.includes(l.email));
      // Every row's detail pane, too.
      await press(app.stdin, 'j', 'j');
      await waitText(app.lastFrame, 'connector local');
    } finally {
      app.unmount();
      cleanup();
    }
    places.push(...app.frames.map((text, i) => ({ where: `TUI frame ${i}`, text })), {
      where: 'TUI debug log',
      text: readFileSync(debugFile, 'utf8'),
    });
  });

  it('no canary, raw or base64, in any of those places', () => {
    const leaks: string[] = [];
    for (const p of places)
      for (const c of CANARIES)
        for (const f of forms(c)) if (p.text.includes(f)) leaks.push(`${p.where}: ${c}`);
    assert.ok(places.length > 10, `only ${places.length} places`);
    assert.deepEqual(leaks, []);
    console.log(
      `logins canary: ${places.length} places checked, ${CANARIES.length} canaries, ${leaks.length} leaks`,
    );
  });
});
