// The revision history's pure parts: encoding round trip and the exact refusal of a bad Secret,
// pruning to N and to the size limit (values first, metadata kept), rollback targets, summaries,
// Helm re-render detection and the re-apply plan (idempotent: what is in effect is skipped).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDexEdits, DexConfigDocument, type DexEdit } from '../../../source/domain/dexConfig.js';
import { detectHelmRender } from '../../../source/domain/helmRender.js';
import {
  appendRevision,
  changedValues,
  contentHash,
  decodeHistory,
  emptyHistory,
  encodeHistory,
  HistoryFormatError,
  keepFromAnnotation,
  prune,
  rollbackChanges,
  RevisionError,
  type HistoryDoc,
  type NewRevision,
} from '../../../source/domain/history.js';
import { planReapply } from '../../../source/domain/historyReapply.js';
import { summarizeChange } from '../../../source/domain/historySummary.js';
import type { SecretObject } from '../../../source/domain/objects.js';

const CONFIG = `issuer: https://auth.example.com
storage: { type: kubernetes, config: { inCluster: true } }
enablePasswordDB: true
connectors:
- type: github
  id: github
  name: GitHub
  config:
    clientID: abc
    clientSecret: s3cr3t-github
    redirectURI: https://auth.example.com/callback
`;
const MAPPING = `- connectorId: github
  groups:
  - id: "acme:devs"
    roles: ["user"]
- connectorId: ldap
  groups: []
`;

function revision(
  before: Record<string, string>,
  after: Record<string, string>,
  extra: Partial<NewRevision> = {},
): NewRevision {
  const v = changedValues(before, after);
  return {
    at: '2026-01-01T00:00:00.000Z',
    author: { name: 'jane', source: 'server' },
    kind: 'save',
    summary: summarizeChange(before, after),
    diff: [],
    keys: v.keys,
    contentHash: contentHash(after),
    resourceVersion: '1',
    values: { before: v.before, after: v.after },
    ...extra,
  };
}

const HAND: DexEdit = {
  op: 'connector.add',
  connector: {
    type: 'gitlab',
    id: 'hand',
    name: 'Hand',
    config: { clientID: 'h', clientSecret: 'hand-secret', redirectURI: 'https://auth.example.com/callback' },
  },
};

describe('history encoding', () => {
  it('round-trips, and an empty Secret is an empty history', () => {
    const doc = appendRevision(emptyHistory(), revision({ a: '1' }, { a: '2' }), 20).doc;
    assert.deepEqual(decodeHistory(encodeHistory(doc)), doc);
    assert.deepEqual(decodeHistory({}), { version: 1, next: 1, revisions: [] });
  });

  it('refuses a damaged history with the exact reason', () => {
    assert.throws(() => decodeHistory({ 'revisions.json': '{' }), HistoryFormatError);
    const doc = appendRevision(emptyHistory(), revision({ a: '1' }, { a: '2' }), 20).doc;
    const bad = { ...doc, next: 1 };
    assert.throws(
      () => decodeHistory(encodeHistory(bad)),
      (e: Error) => e.message === 'revisions.json: next is not above the newest revision',
    );
    const noAuthor = { ...doc, revisions: [{ ...doc.revisions[0], author: 'x' }] };
    assert.throws(
      () => decodeHistory({ 'revisions.json': JSON.stringify(noAuthor) }),
      (e: Error) => e.message === 'revision 0 of revisions.json: author is not {name, source}',
    );
  });

  it('the keep annotation: a number from 1 to 10000, else the default with a reason', () => {
    assert.deepEqual(keepFromAnnotation('50'), { keep: 50 });
    assert.deepEqual(keepFromAnnotation(undefined), { keep: 20 });
    assert.deepEqual(keepFromAnnotation('lots'), {
      keep: 20,
      problem: 'history-keep annotation "lots" is not a number from 1 to 10000; keeping the last 20',
    });
  });
});

describe('pruning', () => {
  it('keeps the last N; numbers keep increasing after pruning', () => {
    let doc: HistoryDoc = emptyHistory();
    for (let i = 0; i < 25; i++)
      doc = appendRevision(doc, revision({ k: `${i}` }, { k: `${i + 1}` }), 20).doc;
    assert.deepEqual(
      doc.revisions.map((r) => r.number),
      Array.from({ length: 20 }, (_, i) => i + 6),
    );
    assert.equal(doc.next, 26);
  });

  it('over the size limit: the oldest full values go first, their metadata stays', () => {
    let doc: HistoryDoc = emptyHistory();
    const big = 'x'.repeat(3000);
    for (let i = 0; i < 5; i++)
      doc = appendRevision(doc, revision({ k: `${big}${i}` }, { k: `${big}${i + 1}` }), 20).doc;
    const { doc: out, pruned } = prune(doc, 20, 16_000);
    assert.deepEqual(pruned.dropped, []);
    assert.deepEqual(pruned.valuesDropped, [1, 2, 3]);
    assert.deepEqual(
      out.revisions.map((r) => [r.number, r.values !== undefined]),
      [
        [1, false],
        [2, false],
        [3, false],
        [4, true],
        [5, true],
      ],
    );
    assert.ok(JSON.stringify(out).length <= 16_000);
    assert.throws(
      () => rollbackChanges(out, 2),
      (e: Error) =>
        e instanceof RevisionError &&
        e.message ===
          'revision 2 cannot be rolled back: its full values were dropped to keep the history Secret under its size limit',
    );
  });
});

describe('rollback', () => {
  it('restores the keys revision N changed as they were before it; an absent key is deleted', () => {
    const doc = appendRevision(emptyHistory(), revision({ a: '1' }, { a: '2', b: 'new' }), 20).doc;
    assert.deepEqual(rollbackChanges(doc, 1).changes, { a: '1', b: null });
    assert.throws(
      () => rollbackChanges(doc, 7),
      (e: Error) => e.message === 'revision 7 is not in the history (it holds revisions 1 to 1)',
    );
  });
});

describe('summaries', () => {
  it('names connectors, mapping entries and keys, never values', () => {
    const after = applyDexEdits(CONFIG, [HAND]);
    assert.equal(
      summarizeChange({ 'config.yaml': CONFIG }, { 'config.yaml': after }),
      'connector hand added',
    );
    const moved = `- connectorId: ldap\n  groups: []\n- connectorId: github\n  groups:\n  - id: "acme:devs"\n    roles: ["user"]\n`;
    assert.equal(
      summarizeChange({ rolesMapping: MAPPING }, { rolesMapping: moved }),
      'mapping entry 0 moved to 1',
    );
    const changed = CONFIG.replace('s3cr3t-github', 'other');
    const s = summarizeChange({ 'config.yaml': CONFIG, x: '1' }, { 'config.yaml': changed, y: '2' });
    assert.equal(s, 'connector github changed; key x removed; key y added');
    assert.equal(
      summarizeChange({ 'config.yaml': CONFIG }, { 'config.yaml': `${CONFIG}# note\n` }),
      'config.yaml comments or layout changed',
    );
  });
});

const secret = (
  data: Record<string, string>,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): SecretObject => ({
  name: 'dex-config',
  namespace: 'epinio',
  resourceVersion: '9',
  type: 'Opaque',
  labels,
  annotations,
  data,
});

describe('helm re-render and re-apply', () => {
  const withHand = applyDexEdits(CONFIG, [HAND]);
  const doc = appendRevision(
    emptyHistory(),
    revision({ 'config.yaml': CONFIG }, { 'config.yaml': withHand }, { chart: 'epinio-1.0.0' }),
    20,
  ).doc;
  const helm = { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'epinio-1.0.1' };

  it('detects a moved chart label with data no longer matching the stamp; not when the stamp matches', () => {
    const rendered = secret({ 'config.yaml': CONFIG }, helm, {
      'epinio-dex-admin/content-hash': contentHash({ 'config.yaml': withHand }),
      'epinio-dex-admin/revision': '1',
    });
    assert.deepEqual(detectHelmRender(rendered, doc), {
      reason:
        'Helm re-rendered dex-config (chart epinio-1.0.0 → epinio-1.0.1): dex-config no longer holds what the tool wrote at revision 1',
      lastRevision: 1,
      chart: 'epinio-1.0.1',
      previousChart: 'epinio-1.0.0',
    });
    const untouched = secret({ 'config.yaml': withHand }, helm, {
      'epinio-dex-admin/content-hash': contentHash({ 'config.yaml': withHand }),
    });
    assert.equal(detectHelmRender(untouched, doc), undefined);
    // Not Helm's: nothing to say about Helm.
    assert.equal(detectHelmRender(secret({ 'config.yaml': CONFIG }, {}, {}), doc), undefined);
    assert.equal(
      detectHelmRender(secret({ 'config.yaml': CONFIG }, { 'app.kubernetes.io/managed-by': 'Helm' }, {}), doc)
        ?.reason,
      "dex-config was rewritten outside the tool (a helm upgrade or a hand edit): the tool's stamp is gone from dex-config",
    );
  });

  it('re-applies the lost connector on the chart output, keeping the chart’s change; a second time changes nothing', () => {
    const chart = CONFIG.replace(
      'issuer: https://auth.example.com',
      'issuer: https://auth.example.com\noauth2: { skipApprovalScreen: true }',
    );
    const plan = planReapply(doc, { 'config.yaml': chart });
    assert.deepEqual(plan.revisions, [1]);
    const text = plan.changes['config.yaml'];
    const d = DexConfigDocument.parse(text);
    assert.deepEqual(
      d.connectors().map((c) => c.id),
      ['github', 'hand'],
    );
    assert.equal(d.connector('hand')!.config.clientSecret, 'hand-secret');
    assert.match(text, /oauth2: \{ skipApprovalScreen: true \}/);
    assert.deepEqual(planReapply(doc, { 'config.yaml': text }), {
      revisions: [],
      dexEdits: [],
      changes: {},
      notes: [],
    });
  });

  it('a revision that removed a connector removes it again; rolesMapping merges line by line', () => {
    const removed = applyDexEdits(withHand, [{ op: 'connector.remove', id: 'github' }]);
    const mapping2 = MAPPING.replace('roles: ["user"]', 'roles: ["admin"]');
    let h = appendRevision(
      emptyHistory(),
      revision({ 'config.yaml': withHand }, { 'config.yaml': removed }),
      20,
    ).doc;
    h = appendRevision(h, revision({ rolesMapping: MAPPING }, { rolesMapping: mapping2 }), 20).doc;
    const chartMapping = `# chart comment\n${MAPPING}`;
    const plan = planReapply(h, { 'config.yaml': withHand, rolesMapping: chartMapping });
    assert.deepEqual(plan.revisions, [1, 2]);
    assert.deepEqual(
      DexConfigDocument.parse(plan.changes['config.yaml'])
        .connectors()
        .map((c) => c.id),
      ['hand'],
    );
    assert.equal(plan.changes.rolesMapping, `# chart comment\n${mapping2}`);
  });

  it('pruned values and chart-owned sections are named, not guessed', () => {
    const issuer = CONFIG.replace('https://auth.example.com\n', 'https://new.example.com\n');
    let h = appendRevision(
      emptyHistory(),
      revision({ 'config.yaml': CONFIG }, { 'config.yaml': issuer }),
      20,
    ).doc;
    h = { ...h, revisions: [{ ...h.revisions[0] }] };
    const plan = planReapply(h, { 'config.yaml': CONFIG });
    assert.deepEqual(plan.notes, [
      "revision 1 changed issuer in config.yaml: the chart's value stays (set it in the chart's values)",
    ]);
    const { values: _v, ...meta } = h.revisions[0];
    const pruned = planReapply({ ...h, revisions: [meta] }, { 'config.yaml': CONFIG });
    assert.deepEqual(pruned.notes, [
      'revision 1 (issuer changed): its values were pruned for size, so it cannot be re-applied',
    ]);
  });
});
