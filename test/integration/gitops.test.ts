// export, diff -f and apply -f, and users report, run the same way against the real kube-apiserver
// (test/stack) and against a manifest file (--file): the round trip (export, edit, diff shows
// exactly the edit, apply, diff in sync), a concurrent change between diff and apply is a conflict,
// the drift exit codes, and bad files refused with exit 2, the exact message and nothing written.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { createFileStore } from '../../source/store/file/fileStore.js';
import { refreshTokenObject } from '../stack/dexStorage.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { fixtureCopy, run, type Result } from '../unit/cli/harness.js';

interface State {
  resourceVersion: string;
  config: string;
  mapping: string;
  /** Every key of the Secret (cluster) or the manifest's bytes (file): what "nothing written" compares. */
  bytes: string;
}

interface Backend {
  name: string;
  flags: string[];
  namespace: string;
  state(): Promise<State>;
  /** The line readLogins gives when this backend's logins cannot be read (undefined: they can). */
  loginsNote(): Promise<string | undefined>;
}

async function clusterBackend(): Promise<Backend> {
  const stack = getStack();
  const ns = await createTestNamespace('gitops', { fixtures: true });
  return {
    name: 'the real API server',
    namespace: ns,
    flags: ['--kubeconfig', stack.kubeconfigs.admin, '-n', ns, '--request-timeout', '20s'],
    async state() {
      const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
      assert.equal(res.status, 200);
      const body = res.body as { metadata: { resourceVersion: string }; data: Record<string, string> };
      const text = (k: string) => Buffer.from(body.data[k] ?? '', 'base64').toString('utf8');
      return {
        resourceVersion: body.metadata.resourceVersion,
        config: text('config.yaml'),
        mapping: text('rolesMapping'),
        bytes: JSON.stringify(body.data),
      };
    },
    async loginsNote() {
      // The API server is shared: whether Dex's custom resources exist depends on the suites run
      // before (logins.test.ts has the real Dex create them). Without them, this is the line.
      const crd = await adminClient().get(
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/refreshtokens.dex.coreos.com',
      );
      return crd.status === 404 ? NO_CRDS : undefined;
    },
  };
}

function fileBackend(): Backend {
  const file = fixtureCopy();
  return {
    name: 'a manifest file',
    namespace: 'epinio',
    flags: ['--file', file],
    async state() {
      const secret = await (await createFileStore(file, { namespace: 'epinio' })).getDexConfig();
      return {
        resourceVersion: secret.resourceVersion,
        config: secret.data['config.yaml'] ?? '',
        mapping: secret.data.rolesMapping ?? '',
        bytes: readFileSync(file, 'utf8'),
      };
    },
    async loginsNote() {
      return `Dex logins cannot be read: ${file} holds no dex.coreos.com/v1 RefreshToken or OfflineSessions objects in namespace "epinio", so it says nothing about logins`;
    },
  };
}

const GITHUB_SECRET = 'fake0github0client0secret0value0000000000';
// readLogins' line on an API server without Dex's custom resources.
const NO_CRDS =
  'Dex logins cannot be read: no Dex Kubernetes storage in this cluster: the API server has no refreshtokens.dex.coreos.com (group dex.coreos.com, version v1), although config.yaml says storage type "kubernetes": Dex has not started with it yet, or it runs in another cluster';
const BIND_PW = 'fake-bind-password';
const DIR = mkdtempSync(join(tmpdir(), 'eda-gitops-'));
let n = 0;
const write = (text: string): string => {
  const path = join(DIR, `desired-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
};
// The output without the problem lines (the fixtures' own warnings differ by backend).
const withoutProblems = (out: string) => out.split('\n').filter((l) => !/^[!✗] /.test(l));
// The impact section and what follows it: from "impact:" to the end.
const impactSection = (out: string) => {
  const lines = out.split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('impact: ')));
};
/** diff -f FILE exits 8 with `section` above its summary; apply --dry-run prints the same section. */
async function assertPlanImpact(
  cli: (argv: string[]) => Promise<Result>,
  file: string,
  section: string[],
  summary: string,
): Promise<{ diff: string; dry: string }> {
  const d = await cli(['diff', '-f', file]);
  assert.equal(d.code, 8, d.stdout + d.stderr);
  assert.deepEqual(impactSection(d.stdout), [...section, summary, '']);
  const dry = await cli(['apply', '-f', file, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(impactSection(dry.stdout), [
    ...section,
    `dry run: apply ${file}; nothing was written`,
    '',
  ]);
  return { diff: d.stdout, dry: dry.stdout };
}
// The diff's changed lines: what `diff` says apply would do.
const changedLines = (out: string) =>
  out.split('\n').filter((l) => /^[-+][^-+]/.test(l) || l === '+' || l === '-');

for (const make of [clusterBackend, async () => fileBackend()]) {
  describe(`export, diff and apply against ${make === clusterBackend ? 'the real API server' : 'a manifest file'}`, () => {
    let b: Backend;
    const cli = (argv: string[], stdin?: string, env?: NodeJS.ProcessEnv) =>
      run([...argv, ...b.flags], { stdin, env });
    before(async () => {
      b = await make();
    });

    it('export writes the Secret for git: every secret a reference, the resourceVersion, both documents', async () => {
      const state = await b.state();
      for (const output of [[], ['-o', 'yaml']]) {
        const r = await cli(['export', ...output]);
        assert.equal(r.code, 0, r.stderr);
        for (const secret of [GITHUB_SECRET, BIND_PW, '$2']) assert.equal(r.stdout.includes(secret), false);
        const doc = parseYaml(r.stdout) as {
          kind: string;
          metadata: { name: string; namespace: string; resourceVersion: string };
          stringData: Record<string, string>;
        };
        assert.equal(doc.kind, 'Secret');
        assert.deepEqual(doc.metadata, {
          name: 'dex-config',
          namespace: b.namespace,
          resourceVersion: state.resourceVersion,
        });
        assert.match(
          doc.stringData['config.yaml'],
          /clientSecret: "<secret:connectors\[github\]\.config\.clientSecret>"\n/,
        );
        assert.match(
          doc.stringData['config.yaml'],
          /bindPW: "<secret:connectors\[ldap\]\.config\.bindPW>" +# a '\$' here/,
        );
        assert.match(
          doc.stringData['config.yaml'],
          /hash: "<secret:staticPasswords\[admin@epinio\.io\]\.hash>"/,
        );
        assert.equal(doc.stringData.rolesMapping, state.mapping);
      }
      const json = await cli(['export', '-o', 'json']);
      assert.equal(json.code, 0);
      assert.equal((JSON.parse(json.stdout) as { kind: string }).kind, 'Secret');
    });

    it('round trip: export is in sync; an edit shows exactly that edit (drift, exit 8); --dry-run writes nothing; apply; in sync again', async () => {
      const exported = (await cli(['export'])).stdout;
      const sameFile = write(exported);
      const same = await cli(['diff', '-f', sameFile]);
      assert.equal(same.code, 0, same.stdout + same.stderr);
      // Nothing but the current state's problems and the summary: no diff, no impact section.
      assert.deepEqual(withoutProblems(same.stdout), [`in sync: ${sameFile} is what dex-config holds`, '']);
      const sameJson = JSON.parse((await cli(['diff', '-f', sameFile, '-o', 'json'])).stdout) as {
        impact: { summary: string; changes: unknown[]; lockout: { blocked: boolean } };
      };
      assert.deepEqual(
        [sameJson.impact.summary, sameJson.impact.changes, sameJson.impact.lockout.blocked],
        ["no user's roles change", [], false],
      );

      const edited = exported
        .replace('name: "GitHub"', 'name: "GitHub Enterprise"')
        .replace(
          '{ id: "epinio-viewers", roles: ["view_only"] }',
          '{ id: "epinio-viewers", roles: ["view_only", "user"] }',
        );
      const file = write(edited);
      const drift = await cli(['diff', '-f', file]);
      assert.equal(drift.code, 8, drift.stderr);
      assert.deepEqual(changedLines(drift.stdout), [
        '-  name: "GitHub"',
        '+  name: "GitHub Enterprise"',
        '-  - { id: "epinio-viewers", roles: ["view_only"] }',
        '+  - { id: "epinio-viewers", roles: ["view_only", "user"] }',
      ]);
      assert.match(drift.stdout, /drift: config\.yaml and rolesMapping differ; `apply -f .*` writes them\n$/);
      const json = JSON.parse((await cli(['diff', '-f', file, '-o', 'json'])).stdout) as {
        status: string;
        changed: string[];
      };
      assert.deepEqual([json.status, json.changed], ['drift', ['config.yaml', 'rolesMapping']]);

      const before = await b.state();
      for (const output of [[], ['-o', 'json'], ['-o', 'yaml']]) {
        const dry = await cli(['apply', '-f', file, '--dry-run', ...output]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.deepEqual(await b.state(), before, 'a dry run writes nothing');
      }
      const applied = await cli(['apply', '-f', file]);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /saved config\.yaml and rolesMapping: apply /);
      const after = await b.state();
      assert.notEqual(after.resourceVersion, before.resourceVersion);
      // The references kept the cluster's secrets; only the two edited lines changed.
      assert.equal(after.config, before.config.replace('name: "GitHub"', 'name: "GitHub Enterprise"'));
      assert.equal(
        after.mapping,
        before.mapping.replace('roles: ["view_only"] }', 'roles: ["view_only", "user"] }'),
      );
      assert.ok(after.config.includes(GITHUB_SECRET) && after.config.includes(BIND_PW));
      const synced = await cli(['diff', '-f', file]);
      assert.equal(synced.code, 0, synced.stdout);
    });

    it('a change by someone else between diff and apply is a conflict (exit 5): nothing written', async () => {
      const file = write((await cli(['export'])).stdout.replace('name: "Corporate LDAP"', 'name: "LDAP"'));
      assert.equal((await cli(['diff', '-f', file])).code, 8);
      const other = await cli(['mappings', 'set-roles', 'ldap', 'epinio-admins', '--roles', 'admin,user']);
      assert.equal(other.code, 0, other.stderr);
      const theirs = await b.state();
      const stale = await cli(['diff', '-f', file]);
      assert.equal(stale.code, 5, 'diff says apply would be refused');
      const r = await cli(['apply', '-f', file]);
      assert.equal(r.code, 5);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        `error: conflict: dex-config changed since ${file} was made from it (resourceVersion ${(parseYaml(readFileSync(file, 'utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion} in the file, ${theirs.resourceVersion} now); nothing was written\n` +
          'hint: run `diff -f FILE` to see the current state; export again and redo the edit, or remove metadata.resourceVersion from the file to apply it over the current version\n',
      );
      assert.deepEqual(await b.state(), theirs);
    });

    it("a file without a resourceVersion applies over the current version; a key it lacks is left as it is; a document without comments keeps the cluster copy's", async () => {
      const before = await b.state();
      // rolesMapping only, as a tool would generate it: no comments, another layout, one role more.
      const mapping = [
        {
          connectorId: 'github',
          groups: [
            { id: 'acme:platform-admins', roles: ['admin'] },
            { id: 'acme:developers', roles: ['application_developer', 'admin:team-blue'] },
          ],
        },
        {
          connectorId: 'ldap',
          groups: [
            { id: 'epinio-admins', roles: ['admin', 'user'] },
            { id: 'epinio-viewers', roles: ['view_only', 'user'] },
          ],
        },
        { connectorId: 'local', groups: [{ id: 'ops', roles: ['system_manager', 'user'] }] },
      ];
      const file = write(
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: dex-config\nstringData:\n  rolesMapping: |\n${JSON.stringify(mapping, null, 2).replace(/^/gm, '    ')}\n`,
      );
      const r = await cli(['apply', '-f', file]);
      assert.equal(r.code, 0, r.stderr);
      const after = await b.state();
      assert.equal(after.config, before.config, 'config.yaml is not in the file: left as it is');
      assert.equal(
        after.mapping,
        // The changed line as every edit prints it (the yaml printer's flow style); the rest as it was.
        before.mapping.replace(
          '{ id: "ops", roles: ["system_manager"] }',
          '{id: "ops", roles: ["system_manager", "user"]}',
        ),
      );
      assert.match(after.mapping, /^# Who gets which Epinio role/);
      assert.equal((await cli(['diff', '-f', file])).code, 0);
    });

    it('a reference filled in at apply time (--secret-env, --secret-stdin) writes that value; the diff only says it changed', async () => {
      const file = write((await cli(['export'])).stdout);
      const place = 'connectors[github].config.clientSecret';
      const env = { NEW_GH: 'rotated-github-secret-value' };
      const d = await cli(['diff', '-f', file, '--secret-env', `${place}=NEW_GH`], undefined, env);
      assert.equal(d.code, 8);
      assert.deepEqual(changedLines(d.stdout), [
        '-    clientSecret: ***',
        '+    clientSecret: *** (changed)',
      ]);
      assert.equal(d.stdout.includes(env.NEW_GH) || d.stderr.includes(env.NEW_GH), false);
      const r = await cli(['apply', '-f', file, '--secret-env', `${place}=NEW_GH`], undefined, env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.includes(env.NEW_GH), false);
      const after = await b.state();
      assert.match(after.config, /clientSecret: "rotated-github-secret-value"\n/);
      assert.ok(after.config.includes(BIND_PW), 'the other references kept their values');
      const back = await cli(
        ['apply', '-f', write((await cli(['export'])).stdout), '--secret-stdin', place],
        `${GITHUB_SECRET}\n`,
      );
      assert.equal(back.code, 0, back.stderr);
      assert.ok((await b.state()).config.includes(`clientSecret: "${GITHUB_SECRET}"`));
      const before = await b.state();
      const unused = await cli(
        ['apply', '-f', file, '--secret-env', 'connectors[nope].config.clientSecret=NEW_GH'],
        undefined,
        env,
      );
      assert.equal(unused.code, 2);
      assert.equal(
        unused.stderr.split('\n')[0],
        `error: ${file}: there is no reference "<secret:connectors[nope].config.clientSecret>" to fill in (the file's references read "<secret:PLACE>"); nothing was written`,
      );
      assert.deepEqual(await b.state(), before);
    });

    it('a desired state that adds errors: diff exit 9, apply refused (exit 1) unless --force; nothing written', async () => {
      const file = write(
        // The platform admins' roles as a scalar: Epinio cannot parse the mapping.
        (await cli(['export'])).stdout.replace('roles: ["admin"]\n', 'roles: "admin"\n'),
      );
      const d = await cli(['diff', '-f', file]);
      assert.equal(d.code, 9, d.stdout);
      assert.match(d.stdout, /invalid: .* would add 1 error; apply refuses it without --force\n$/);
      const before = await b.state();
      const r = await cli(['apply', '-f', file]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^error: apply .* would add 1 error: .*; nothing was written\nhint: review it with --dry-run; --force saves it anyway\n$/,
      );
      assert.deepEqual(await b.state(), before);
    });

    it('bad files: exit 2 with the exact message, nothing written', async () => {
      const before = await b.state();
      const exported = (await cli(['export'])).stdout;
      const bad: [string, (f: string) => string][] = [
        [
          'key: [unclosed\n',
          (f) =>
            `${f} is not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        ],
        [
          '- a list\n',
          (f) =>
            `${f} must be the dex-config Secret as \`export\` writes it (apiVersion: v1, kind: Secret, stringData: {config.yaml, rolesMapping})`,
        ],
        [
          exported.replace('kind: Secret', 'kind: ConfigMap'),
          (f) =>
            `${f} must be the dex-config Secret as \`export\` writes it (apiVersion: v1, kind: Secret, stringData: {config.yaml, rolesMapping})`,
        ],
        [
          `${exported}spec: {}\n`,
          (f) =>
            `${f}: unknown key "spec" at the top level (a Secret has apiVersion, kind, metadata, type, data, stringData)`,
        ],
        [
          exported.replace('  rolesMapping: |', '  endpoint: x\n  rolesMapping: |'),
          (f) =>
            `${f}: unknown key "endpoint" in stringData (dex-config keys here are config.yaml and rolesMapping)`,
        ],
        [
          exported.replace('name: dex-config', 'name: other'),
          (f) => `${f} is the Secret "other", not "dex-config"`,
        ],
        [
          exported.replace(`namespace: ${b.namespace}`, 'namespace: prod'),
          (f) => `${f} is for namespace "prod", but this is namespace "${b.namespace}" (-n)`,
        ],
        [
          'apiVersion: v1\nkind: Secret\nmetadata: {name: dex-config}\n',
          (f) => `${f} has neither config.yaml nor rolesMapping under stringData: nothing to compare`,
        ],
        [
          exported.replace('    issuer: ', '    issuer: [unclosed\n    x: '),
          (f) =>
            `${f}: config.yaml is not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]. Dex refuses to start with it: every OIDC login fails.`,
        ],
        [
          exported.replace('  rolesMapping: |\n', '  rolesMapping: |\n    - [unclosed\n'),
          (f) =>
            `${f}: rolesMapping is not valid YAML at line 3, column 1 (Flow sequence in block collection must be sufficiently indented and end with a ]). Epinio cannot parse rolesMapping: every OIDC (Bearer) request fails with 500 'error getting OIDC provider'; local logins still work.`,
        ],
        [
          exported.replace(
            '<secret:connectors[ldap].config.bindPW>',
            '<secret:connectors[nope].config.bindPW>',
          ),
          (f) =>
            `${f}: "<secret:connectors[nope].config.bindPW>" has no value in the cluster to keep: fill it in (a value, or a $VARIABLE that Dex expands)`,
        ],
      ];
      for (const [text, message] of bad) {
        const file = write(text);
        for (const command of ['diff', 'apply']) {
          const r = await cli([command, '-f', file]);
          assert.equal(r.code, 2, `${command} ${text.slice(0, 40)}: ${r.stderr}`);
          assert.equal(r.stdout, '');
          assert.equal(
            r.stderr,
            `error: ${message(file)}; nothing was written\nhint: run 'epinio-dex-admin ${command} --help' for usage\n`,
          );
        }
      }
      const missing = join(DIR, 'missing.yaml');
      const r = await cli(['apply', '-f', missing]);
      assert.deepEqual(
        [r.code, r.stderr.split('\n')[0]],
        [2, `error: cannot read ${missing}: ENOENT; nothing was written`],
      );
      const none = await cli(['apply']);
      assert.deepEqual(
        [none.code, none.stderr.split('\n')[0]],
        [2, 'error: -f FILE is required: the desired dex-config'],
      );
      assert.deepEqual(await b.state(), before);
    });

    it('users report: csv (RFC 4180, CRLF), json, yaml and table; diff -o yaml; __complete values', async () => {
      const csv = await cli(['users', 'report', '-o', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const lines = csv.stdout.split('\r\n');
      assert.equal(
        lines[0],
        'username,sources,roles,unknown_roles,namespaces,last_login,role_drift,next_roles,secret',
      );
      assert.equal(lines.at(-1), '');
      assert.ok(
        lines.some((l) =>
          l.startsWith('ops@example.com,local password;Dex local user,system_manager,,,unknown,'),
        ),
      );
      const json = JSON.parse((await cli(['users', 'report', '-o', 'json'])).stdout) as {
        username: string;
        sources: string[];
        drift: string;
      }[];
      const jane = json.find((u) => u.username === 'jane.doe@example.com');
      assert.deepEqual([jane?.sources, jane?.drift], [['OIDC login'], 'unknown']);
      const table = await cli(['users', 'report']);
      assert.match(
        table.stdout,
        /^USERNAME +SOURCES +ROLES +UNKNOWN ROLES +NAMESPACES +LAST LOGIN +ROLE DRIFT +NEXT ROLES +SECRET\n/,
      );
      const yaml = parseYaml((await cli(['users', 'report', '-o', 'yaml'])).stdout) as { username: string }[];
      assert.deepEqual(
        yaml.map((u) => u.username),
        json.map((u) => u.username),
      );
      const diffYaml = parseYaml(
        (await cli(['diff', '-f', write((await cli(['export'])).stdout), '-o', 'yaml'])).stdout,
      ) as {
        status: string;
        diff: string[];
      };
      assert.deepEqual([diffYaml.status, diffYaml.diff], ['in-sync', []]);
      // Completion's dynamic values from the same context.
      assert.equal((await cli(['__complete', 'connectors'])).stdout, 'github\nldap\n');
      assert.equal((await cli(['__complete', 'dex-users'])).stdout, 'admin@epinio.io\nops@example.com\n');
      assert.ok((await cli(['__complete', 'users'])).stdout.split('\n').includes('jane.doe@example.com'));
      const wrong = await cli(['users', 'list', '-o', 'csv']);
      assert.equal(wrong.code, 2);
      assert.equal(
        wrong.stderr.split('\n')[0],
        'error: -o csv is not an output of users list (choose table, json or yaml; csv is for users report)',
      );
    });

    it('diff shows the blast radius and the lockout refusal of removing the only admin group, exit still 8; apply refuses it, --allow-lockout writes it', async () => {
      // The Dex local user ops@example.com (group "ops") becomes admin through the local entry, and
      // the password admin is demoted: that entry's group is the one way in left.
      for (const argv of [
        ['mappings', 'set-roles', 'local', 'ops', '--roles', 'admin'],
        ['users', 'set-roles', 'admin', '--role', 'user'],
      ]) {
        const r = await cli(argv);
        assert.equal(r.code, 0, r.stderr);
      }
      const exported = (await cli(['export'])).stdout;
      const edited = exported.replace(
        /^( *)- connectorId: local\n\1 {2}groups:\n\1 {2}- \{ ?id: "ops", roles: \["admin"\] ?\}\n/m,
        '',
      );
      assert.notEqual(edited, exported, 'the export has the local entry');
      const file = write(edited);

      const note = await b.loginsNote();
      const lockout = [
        'this save would lock every administrator out; it takes away:',
        '  - Dex local user "ops@example.com" (admin through rolesMapping group "ops"): it gets system_manager: nothing is mapped, so it keeps the roles of its Secret',
        'to keep a way in:',
        `  - keep a rolesMapping group for connector "local" that grants admin to one of "ops@example.com"'s groups ("ops")`,
        '  - or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)',
      ];
      const section = [
        'impact: 1 of 2 known identities changes roles at the next request',
        ...(note ? [`  (${note}; only Dex local users and user Secrets were checked)`] : []),
        '  - ops@example.com (local): admin -> system_manager (loses admin)',
        ...lockout,
      ];
      await assertPlanImpact(
        cli,
        file,
        section,
        `drift: rolesMapping differs; \`apply -f ${file}\` refuses it without --allow-lockout`,
      );
      const json = await cli(['diff', '-f', file, '-o', 'json']);
      assert.equal(json.code, 8);
      const view = JSON.parse(json.stdout) as {
        status: string;
        impact: {
          summary: string;
          changes: { email: string; before: string; after: string; losesAdmin: boolean }[];
          lockout: { blocked: boolean; lost: { wayIn: string }[] };
          loginsNote?: string;
        };
      };
      assert.equal(view.status, 'drift');
      assert.deepEqual(
        view.impact.changes.map((c) => [c.email, c.before, c.after, c.losesAdmin]),
        [['ops@example.com', 'admin', 'system_manager', true]],
      );
      assert.deepEqual(
        [view.impact.lockout.blocked, view.impact.lockout.lost.map((l) => l.wayIn), view.impact.loginsNote],
        [true, ['Dex local user "ops@example.com" (admin through rolesMapping group "ops")'], note],
      );
      const dryJson = JSON.parse((await cli(['apply', '-f', file, '--dry-run', '-o', 'json'])).stdout) as {
        impact: unknown;
      };
      assert.deepEqual(view.impact, dryJson.impact);
      const yaml = parseYaml((await cli(['diff', '-f', file, '-o', 'yaml'])).stdout) as { impact: unknown };
      assert.deepEqual(yaml.impact, view.impact);

      const before = await b.state();
      const refused = await cli(['apply', '-f', file]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.stdout, '');
      assert.equal(
        refused.stderr,
        `error: apply ${file}: ${lockout.join('\n')}\nnothing was written\nhint: review it with --dry-run; --allow-lockout saves it anyway\n`,
      );
      assert.deepEqual(await b.state(), before, 'the refused apply wrote nothing');
      const allowed = await cli(['apply', '-f', file, '--allow-lockout']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(
        allowed.stderr,
        /warning: apply .*: saved with --allow-lockout; no administrator may be able to get in\n/,
      );
      const synced = await cli(['diff', '-f', file]);
      assert.equal(synced.code, 0, synced.stdout);
      assert.deepEqual(withoutProblems(synced.stdout), [`in sync: ${file} is what dex-config holds`, '']);
    });
  });
}

describe('diff against a cluster it cannot reach', () => {
  it('exits 10 (unreachable), apart from drift (8) and invalid (9)', async () => {
    const kubeconfig = join(DIR, 'unreachable.kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const file = write(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: dex-config}\nstringData: {rolesMapping: ""}\n',
    );
    const r = await run(['diff', '-f', file, '--kubeconfig', kubeconfig, '--request-timeout', '3s']);
    assert.equal(r.code, 10, r.stderr);
    assert.equal(r.stdout, '');
  });
});

describe('diff -f against a manifest that holds no Dex logins', () => {
  it('says so in one line, as apply --dry-run does, and weighs the Dex local users and user Secrets', async () => {
    const manifest = fixtureCopy();
    const cli = (argv: string[]) => run([...argv, '--file', manifest], { env: { NO_COLOR: '1' } });
    const exported = (await cli(['export'])).stdout;
    const edited = exported.replace(
      '{ id: "ops", roles: ["system_manager"] }',
      '{ id: "ops", roles: ["admin"] }',
    );
    assert.notEqual(edited, exported);
    const file = write(edited);
    const note = `Dex logins cannot be read: ${manifest} holds no dex.coreos.com/v1 RefreshToken or OfflineSessions objects in namespace "epinio", so it says nothing about logins`;
    const section = [
      'impact: 1 of 2 known identities changes roles at the next request',
      `  (${note}; only Dex local users and user Secrets were checked)`,
      '  + ops@example.com (local): system_manager -> admin (gains admin)',
    ];
    await assertPlanImpact(cli, file, section, `drift: rolesMapping differs; \`apply -f ${file}\` writes it`);
    const json = JSON.parse((await cli(['diff', '-f', file, '-o', 'json'])).stdout) as {
      impact: { loginsNote: string; summary: string };
    };
    assert.deepEqual(
      [json.impact.summary, json.impact.loginsNote],
      ['1 of 2 known identities changes roles at the next request', note],
    );
  });
});

describe('diff -f against a manifest that holds Dex logins (RefreshToken objects, as kubectl lists them)', () => {
  it("the LDAP login whose only admin group goes: it loses admin, the lockout preview, apply's own impact", async () => {
    const manifest = fixtureCopy();
    const cli = (argv: string[]) => run([...argv, '--file', manifest], { env: { NO_COLOR: '1' } });
    const token = 'fake0refresh0token0of0ann';
    const login = refreshTokenObject('epinio', {
      name: 'ann-refresh-token',
      connectorId: 'ldap',
      userId: 'ann',
      username: 'ann',
      email: 'ann@example.com',
      groups: ['epinio-admins'],
      token,
    });
    // One more item of the List, in flow style (JSON is YAML).
    appendFileSync(manifest, `  - ${JSON.stringify(login)}\n`);
    const demoted = await cli(['users', 'set-roles', 'admin', '--role', 'user']);
    assert.equal(demoted.code, 0, demoted.stderr);
    const exported = (await cli(['export'])).stdout;
    const edited = exported.replace('  - { id: "epinio-admins", roles: ["admin"] }\n', '');
    assert.notEqual(edited, exported);
    const file = write(edited);
    const section = [
      'impact: 1 of 3 known identities changes roles at the next request',
      '  - ann@example.com (ldap): admin -> user (loses admin)',
      'this save would lock every administrator out; it takes away:',
      '  - "ann@example.com" logging in with connector "ldap" (admin through rolesMapping group "epinio-admins"): it gets user: no Secret yet and nothing is mapped, so it gets the default role "user"',
      'to keep a way in:',
      `  - keep a rolesMapping group for connector "ldap" that grants admin to one of "ann@example.com"'s groups ("epinio-admins")`,
      '  - or first give an administrator a password: `users create NAME --role admin` (or `users set-password NAME` for a user with role admin)',
    ];
    const shown = await assertPlanImpact(
      cli,
      file,
      section,
      `drift: rolesMapping differs; \`apply -f ${file}\` refuses it without --allow-lockout`,
    );
    const json = await cli(['diff', '-f', file, '-o', 'json']);
    const view = JSON.parse(json.stdout) as { impact: { known: number; loginsNote?: string } };
    const dryView = JSON.parse((await cli(['apply', '-f', file, '--dry-run', '-o', 'json'])).stdout) as {
      impact: unknown;
    };
    assert.deepEqual([view.impact.known, view.impact.loginsNote], [3, undefined]);
    assert.deepEqual(view.impact, dryView.impact);
    for (const out of [shown.diff, shown.dry, json.stdout]) assert.equal(out.includes(token), false);
  });
});
