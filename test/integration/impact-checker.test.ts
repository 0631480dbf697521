// Differential: the roles explainUser (through simulate) gives a user at its next request, against
// the Go reference checker's evaluation of the same mapping text, connector, groups, known roles,
// default role and user Secret, written from Epinio's rules (test/checker/go/evaluate.go). Many
// generated cases, seeded (EDA_SEED replays a run); the comparator is shown to report a mismatch.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { runChecker, type CheckerEvaluation, type CheckerEvaluationResult } from '../checker/checker.js';
import { explainUser, type ImpactSide } from '../../source/domain/impact.js';
import { epinioRoleForm } from '../../source/domain/impactOutcome.js';
import type { Login, SecretObject } from '../../source/domain/objects.js';
import { RolesMappingDocument } from '../../source/domain/rolesMapping.js';
import { usersFromSecrets } from '../../source/domain/users.js';
import { pickSeed } from '../reliability/lib/rng.js';

const SEED = pickSeed('impact-checker');
const RUNS = Number(process.env.EDA_IMPACT_CASES || 600);
const EMAIL = 'jane@example.com';

interface Ours {
  ok: boolean;
  mapped: string[];
  roles: string[];
}

/** explainUser's answer for the case, in the checker's shape. */
function ours(c: CheckerEvaluation): Ours {
  const doc = RolesMappingDocument.parse(c.rolesMapping);
  const secret: SecretObject = {
    name: 'ruser-jane',
    namespace: 'epinio',
    resourceVersion: '1',
    type: 'Opaque',
    labels: { 'epinio.io/api-user-credentials': 'true' },
    annotations: { 'epinio.io/roles': c.userRoles ?? '' },
    data: { username: EMAIL },
  };
  const side: ImpactSide = {
    entries: doc.entries(),
    mappingFatal: doc.fatal[0]?.message,
    connectorIds: [c.connectorId],
    enablePasswordDB: false,
    staticUsers: [],
    users: c.userRoles === null ? [] : usersFromSecrets([secret]),
  };
  const login: Login = {
    connectorId: c.connectorId,
    userId: '1',
    username: EMAIL,
    email: EMAIL,
    groups: c.groups,
    tokens: 1,
  };
  const ctx = { knownRoles: c.knownRoles, defaultRole: c.defaultRole || undefined, semantics: c.semantics };
  const x = explainUser(side, side, ctx, [login], EMAIL);
  const mine = x.explanations.find((e) => e.semantics === c.semantics)!;
  const o = mine.identities[0]!.saved;
  const mapped = (o.simulation?.roles ?? []).map(epinioRoleForm);
  return { ok: o.canLogIn, mapped: [...new Set(mapped)].sort(), roles: o.roles };
}

/** The mismatch between the two answers, or undefined when they agree. */
export function compare(c: CheckerEvaluation, a: Ours, go: CheckerEvaluationResult): string | undefined {
  const diffs: string[] = [];
  if (a.ok !== go.ok)
    diffs.push(`parse: ours ${a.ok ? 'ok' : 'fatal'}, Epinio ${go.ok ? 'ok' : `fatal (${go.error})`}`);
  if (a.ok && go.ok) {
    if (a.mapped.join(',') !== go.mapped.join(','))
      diffs.push(`mapped: ours [${a.mapped}], Epinio [${go.mapped}]`);
    if (a.roles.join(',') !== go.roles.join(','))
      diffs.push(`roles: ours [${a.roles}], Epinio [${go.roles}]`);
  }
  return diffs.length ? `${diffs.join('; ')}\ncase: ${JSON.stringify(c)}` : undefined;
}

const GROUPS = ['a', 'b', 'A', 'acme:admins', 'x y'];
const ROLES = [
  'admin',
  'user',
  'view_only',
  'ghost',
  'admin:ws',
  'user:',
  'admin:',
  'a:b:c',
  'admin:ws:x',
  ' user',
];
const q = (s: string) => JSON.stringify(s);

const group = fc.record({
  id: fc.constantFrom(...GROUPS),
  roles: fc.option(fc.array(fc.constantFrom(...ROLES), { maxLength: 3 }), { nil: undefined }),
  role: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
});
const entry = fc.record({
  connectorId: fc.constantFrom('github', 'ldap', 'gh'),
  groups: fc.array(group, { maxLength: 4 }),
});

interface GenEntry {
  connectorId: string;
  groups: { id: string; roles?: string[]; role?: string }[];
}

function mappingText(entries: GenEntry[]): string {
  return entries
    .map(
      (e) =>
        `- connectorId: ${q(e.connectorId)}\n  groups:\n${e.groups
          .map(
            (g) =>
              `  - id: ${q(g.id)}\n${g.roles ? `    roles: [${g.roles.map(q).join(', ')}]\n` : ''}${g.role !== undefined ? `    role: ${q(g.role)}\n` : ''}`,
          )
          .join('')}`,
    )
    .join('');
}

const broken = fc.constantFrom(
  '"a": [admin]\n',
  '- connectorId: github\n  groups:\n  - id: a\n    roles: admin\n',
  'x: [\n',
);

const evaluation: fc.Arbitrary<CheckerEvaluation> = fc
  .record({
    text: fc.oneof(
      { weight: 12, arbitrary: fc.array(entry, { maxLength: 4 }).map(mappingText) },
      { weight: 1, arbitrary: broken },
    ),
    connectorId: fc.constantFrom('github', 'ldap'),
    groups: fc.subarray(GROUPS),
    known: fc.subarray(['user', 'view_only']),
    withDefault: fc.boolean(),
    semantics: fc.constantFrom('modern' as const, 'legacy' as const),
    userRoles: fc.option(
      fc.array(fc.constantFrom(...ROLES, ''), { maxLength: 3 }).map((r) => r.join(',')),
      { nil: null },
    ),
  })
  .map((r) => ({
    rolesMapping: r.text,
    connectorId: r.connectorId,
    groups: r.groups,
    knownRoles: ['admin', ...r.known],
    defaultRole: r.withDefault && r.known.includes('user') ? 'user' : '',
    semantics: r.semantics,
    userRoles: r.userRoles,
  }));

describe('explainUser agrees with the Go reference checker (Epinio rules)', () => {
  test(`${RUNS} generated cases (seed ${SEED})`, async () => {
    const cases = fc.sample(evaluation, { numRuns: RUNS, seed: SEED });
    const out = (await runChecker({ evaluate: cases })).evaluate ?? [];
    assert.equal(out.length, cases.length);
    const mismatches = cases.map((c, i) => compare(c, ours(c), out[i]!)).filter((m) => m !== undefined);
    assert.deepEqual(mismatches.slice(0, 3), [], `${mismatches.length} of ${cases.length} disagree`);
    // The cases are not all trivial: some grant admin, some fail to parse, some keep the Secret's roles.
    assert.ok(out.some((r) => r.roles.includes('admin')));
    assert.ok(out.some((r) => !r.ok));
    assert.ok(
      cases.some(
        (c, i) =>
          c.userRoles !== null && out[i]!.ok && out[i]!.mapped.length === 0 && out[i]!.roles.length > 0,
      ),
    );
  });

  test('the five scenarios of issue 12, one case each, agree', async () => {
    const base = `- connectorId: "github"\n  groups:\n  - id: "acme:admins"\n    roles: ["admin"]\n  - id: "a"\n    roles: ["user"]\n`;
    const c = (rolesMapping: string, connectorId = 'github'): CheckerEvaluation => ({
      rolesMapping,
      connectorId,
      groups: ['acme:admins', 'a'],
      knownRoles: ['admin', 'user'],
      defaultRole: 'user',
      semantics: 'modern',
      userRoles: 'admin,user',
    });
    const cases = [
      c(`${base}  - id: "b"\n    roles: ["view_only"]\n`),
      c(base.replace(/ {2}- id: "a"\n {4}roles: \["user"\]\n/, '')),
      c(`- connectorId: "ldap"\n  groups: []\n${base}`),
      c(base, 'gh'),
      c(base.replace(/ {2}- id: "acme:admins"\n {4}roles: \["admin"\]\n/, '')),
    ];
    const out = (await runChecker({ evaluate: cases })).evaluate ?? [];
    assert.deepEqual(
      cases.map((x, i) => compare(x, ours(x), out[i]!)),
      [undefined, undefined, undefined, undefined, undefined],
    );
    assert.deepEqual(
      out.map((r) => r.roles),
      [['admin', 'user'], ['admin'], ['admin', 'user'], ['admin', 'user'], ['user']],
    );
  });

  test('the comparator reports a disagreement (a deliberately wrong expectation)', async () => {
    const c: CheckerEvaluation = {
      rolesMapping: '- connectorId: "github"\n  groups:\n  - id: "a"\n    roles: ["admin:"]\n',
      connectorId: 'github',
      groups: ['a'],
      knownRoles: ['admin'],
      defaultRole: '',
      semantics: 'modern',
      userRoles: null,
    };
    const [go] = (await runChecker({ evaluate: [c] })).evaluate ?? [];
    assert.deepEqual(go, { ok: true, mapped: ['admin'], roles: ['admin'] });
    assert.equal(compare(c, ours(c), go!), undefined);
    const wrong = { ok: true, mapped: ['admin:'], roles: ['admin:'] };
    assert.equal(
      compare(c, wrong, go!),
      `mapped: ours [admin:], Epinio [admin]; roles: ours [admin:], Epinio [admin]\ncase: ${JSON.stringify(c)}`,
    );
    assert.match(compare(c, { ok: false, mapped: [], roles: [] }, go!)!, /^parse: ours fatal, Epinio ok/);
  });
});
