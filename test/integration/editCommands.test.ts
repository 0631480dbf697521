// The contract of every dex-config edit command, run the same way against the real kube-apiserver
// (test/stack) and against a manifest file (--file): a dry run in json and yaml writes nothing
// (unchanged resourceVersion, byte-identical file), the write in table form changes exactly what it
// says, and bad input is refused with exit 2, the exact message, and nothing written.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { parse as parseYaml } from 'yaml';
import { createFileStore } from '../../source/store/file/fileStore.js';
import { adminClient, createTestNamespace, getStack } from '../stack/env.js';
import { fixtureCopy, run, type Result } from '../unit/cli/harness.js';

interface State {
  resourceVersion: string;
  config: string;
  mapping: string;
  /** The manifest's bytes (file backend) or the Secret's data as JSON (cluster). */
  bytes: string;
}

interface Backend {
  flags: string[];
  state(): Promise<State>;
}

async function clusterBackend(): Promise<Backend> {
  const stack = getStack();
  const ns = await createTestNamespace('edit-commands', { fixtures: true });
  return {
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
  };
}

function fileBackend(): Backend {
  const file = fixtureCopy();
  return {
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
  };
}

type Config = {
  issuer: string;
  connectors: { type: string; id: string; name: string; config: Record<string, unknown> }[];
  staticPasswords?: { email: string; username?: string; hash: string; userID: string }[];
};
type Mapping = { connectorId: string; groups: { id: string; roles: string[] }[] }[];

interface Case {
  argv: string[];
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** What the table output ends with. */
  said: RegExp;
  check(config: Config, mapping: Mapping): void | Promise<void>;
}

const SECRET = 'the-client-secret-value';
const DIR = mkdtempSync(join(tmpdir(), 'eda-edit-'));
// A config file may hold secrets (a file is not argv); the secret file ends in one newline.
const OIDC_FILE = join(DIR, 'oidc.yaml');
writeFileSync(
  OIDC_FILE,
  'issuer: https://kc.example.com/realms/epinio\nclientID: epinio\nredirectURI: https://auth.example.com/callback\ninsecureEnableGroups: true\n',
);
const SECRET_FILE = join(DIR, 'secret');
writeFileSync(SECRET_FILE, `${SECRET}-file\n`);
const PASSWORD = 'a long enough password';
const ids = (c: Config) => c.connectors.map((x) => x.id);
const entry = (m: Mapping, id: string) => m.find((e) => e.connectorId === id);

function cases(issuer: string): Case[] {
  return [
    {
      argv: [
        ...['connectors', 'add', 'github', 'gh2', '--name', 'GitHub two', '--set', 'clientID=abc'],
        ...['--set', `redirectURI=${issuer}/callback`, '--secret-env', 'clientSecret=GH_SECRET'],
      ],
      env: { GH_SECRET: SECRET },
      said: /saved config\.yaml: add connector gh2\n/,
      check(c) {
        const gh2 = c.connectors.find((x) => x.id === 'gh2')!;
        assert.deepEqual(gh2, {
          type: 'github',
          id: 'gh2',
          name: 'GitHub two',
          config: { clientID: 'abc', redirectURI: `${issuer}/callback`, clientSecret: SECRET },
        });
      },
    },
    {
      argv: [
        'connectors',
        'set',
        'gh2',
        '--name',
        'GH 2',
        '--set',
        'loadAllGroups=true',
        '--set',
        'clientID=xyz',
      ],
      said: /saved config\.yaml: change connector gh2\n/,
      check(c) {
        const gh2 = c.connectors.find((x) => x.id === 'gh2')!;
        assert.equal(gh2.name, 'GH 2');
        assert.deepEqual(gh2.config, {
          clientID: 'xyz',
          redirectURI: `${issuer}/callback`,
          clientSecret: SECRET,
          loadAllGroups: true,
        });
      },
    },
    {
      argv: ['connectors', 'set', 'gh2', '--unset', 'loadAllGroups'],
      said: /saved config\.yaml: change connector gh2\n/,
      check: (c) => assert.equal('loadAllGroups' in c.connectors.find((x) => x.id === 'gh2')!.config, false),
    },
    {
      argv: [
        'connectors',
        'add',
        'oidc',
        'kc',
        '--name',
        'Keycloak',
        '-f',
        OIDC_FILE,
        '--secret-stdin',
        'clientSecret',
      ],
      stdin: `${SECRET}-stdin\n`,
      said: /saved config\.yaml: add connector kc\n/,
      check(c) {
        assert.deepEqual(c.connectors.find((x) => x.id === 'kc')!.config, {
          issuer: 'https://kc.example.com/realms/epinio',
          clientID: 'epinio',
          redirectURI: `${issuer}/callback`,
          insecureEnableGroups: true,
          clientSecret: `${SECRET}-stdin`,
        });
      },
    },
    {
      argv: [
        'connectors',
        'set',
        'kc',
        '--secret-file',
        `clientSecret=${SECRET_FILE}`,
        '--set',
        'claimMapping.groups=grp',
      ],
      said: /saved config\.yaml: change connector kc\n/,
      check(c) {
        const config = c.connectors.find((x) => x.id === 'kc')!.config;
        assert.equal(config.clientSecret, `${SECRET}-file`);
        assert.deepEqual(config.claimMapping, { groups: 'grp' });
      },
    },
    {
      argv: ['connectors', 'delete', 'kc'],
      said: /saved config\.yaml: delete connector kc\n/,
      check: (c) => assert.deepEqual(ids(c), ['github', 'ldap', 'gh2']),
    },
    {
      argv: ['connectors', 'move', 'gh2', '--to', '0'],
      said: /saved config\.yaml: move connector gh2 to position 0\n/,
      check: (c) => assert.deepEqual(ids(c), ['gh2', 'github', 'ldap']),
    },
    {
      argv: ['connectors', 'move', 'gh2', '--before', 'ldap'],
      said: /saved config\.yaml: move connector gh2 to position 1\n/,
      check: (c) => assert.deepEqual(ids(c), ['github', 'gh2', 'ldap']),
    },
    {
      argv: ['mappings', 'add-entry', 'gh2'],
      said: /saved rolesMapping: add mapping entry gh2\n[^]*rolesMapping takes effect/,
      check: (_c, m) => assert.deepEqual(entry(m, 'gh2'), { connectorId: 'gh2', groups: [] }),
    },
    {
      argv: ['mappings', 'add-group', 'gh2', 'acme:a', '--roles', 'admin, view_only'],
      said: /saved rolesMapping: map group acme:a of gh2 to admin, view_only\n/,
      check: (_c, m) =>
        assert.deepEqual(entry(m, 'gh2')!.groups, [{ id: 'acme:a', roles: ['admin', 'view_only'] }]),
    },
    {
      argv: ['mappings', 'add-group', 'gh2', 'acme:b', '--roles', 'admin:team-blue', '--to', '0'],
      said: /saved rolesMapping: map group acme:b of gh2/,
      check: (_c, m) =>
        assert.deepEqual(
          entry(m, 'gh2')!.groups.map((g) => g.id),
          ['acme:b', 'acme:a'],
        ),
    },
    {
      argv: ['mappings', 'set-roles', 'gh2', 'acme:a', '--roles', 'system_manager'],
      said: /saved rolesMapping: set the roles of group acme:a of gh2 to system_manager\n/,
      check: (_c, m) =>
        assert.deepEqual(entry(m, 'gh2')!.groups[1], { id: 'acme:a', roles: ['system_manager'] }),
    },
    {
      argv: ['mappings', 'move', 'gh2', 'acme:a', '--to', '0'],
      said: /saved rolesMapping: move group acme:a of gh2 to position 0\n/,
      check: (_c, m) =>
        assert.deepEqual(
          entry(m, 'gh2')!.groups.map((g) => g.id),
          ['acme:a', 'acme:b'],
        ),
    },
    {
      argv: ['mappings', 'move', 'gh2', '--to', '0'],
      said: /saved rolesMapping: move mapping entry gh2 to position 0\n/,
      check: (_c, m) =>
        assert.deepEqual(
          m.map((e) => e.connectorId),
          ['gh2', 'github', 'ldap', 'local'],
        ),
    },
    {
      argv: ['connectors', 'rename', 'gh2', 'gh3', '--update-mappings'],
      said: /saved config\.yaml and rolesMapping: rename connector gh2 to gh3\n/,
      check(c, m) {
        assert.deepEqual(ids(c), ['github', 'gh3', 'ldap']);
        assert.deepEqual(
          m.map((e) => e.connectorId),
          ['gh3', 'github', 'ldap', 'local'],
        );
      },
    },
    {
      argv: ['mappings', 'remove', 'gh3', 'acme:b'],
      said: /saved rolesMapping: remove group acme:b of gh3\n/,
      check: (_c, m) =>
        assert.deepEqual(
          entry(m, 'gh3')!.groups.map((g) => g.id),
          ['acme:a'],
        ),
    },
    {
      argv: ['mappings', 'remove', 'gh3'],
      said: /saved rolesMapping: remove mapping entry gh3\n/,
      check: (_c, m) => assert.equal(entry(m, 'gh3'), undefined),
    },
    {
      argv: ['connectors', 'delete', 'gh3'],
      said: /saved config\.yaml: delete connector gh3\n/,
      check: (c) => assert.deepEqual(ids(c), ['github', 'ldap']),
    },
    {
      argv: ['dex-users', 'add', 'new@example.com', '--username', 'newbie', '--password-stdin'],
      stdin: `${PASSWORD}\n`,
      said: /saved config\.yaml: add Dex local user new@example\.com\n/,
      async check(c) {
        const u = c.staticPasswords!.find((s) => s.email === 'new@example.com')!;
        assert.equal(u.username, 'newbie');
        assert.match(u.userID, /^[0-9a-f-]{36}$/);
        assert.match(u.hash, /^\$2[aby]\$12\$/);
        assert.ok(await bcrypt.compare(PASSWORD, u.hash));
      },
    },
    {
      argv: ['dex-users', 'set-password', 'NEW@example.com', '--password-stdin'],
      stdin: `${PASSWORD} two`,
      said: /saved config\.yaml: new password for Dex local user new@example\.com\n/,
      async check(c) {
        const u = c.staticPasswords!.find((s) => s.email === 'new@example.com')!;
        assert.ok(await bcrypt.compare(`${PASSWORD} two`, u.hash));
      },
    },
    {
      argv: ['dex-users', 'remove', 'new@example.com'],
      said: /saved config\.yaml: remove Dex local user new@example\.com\n/,
      check: (c) =>
        assert.equal(
          c.staticPasswords!.some((s) => s.email === 'new@example.com'),
          false,
        ),
    },
  ];
}

/** Exact refusals: exit 2, nothing on stdout, the given stderr, no secret echoed. */
const REFUSALS: { argv: string[]; stderr: string | RegExp; stdin?: string }[] = [
  {
    argv: ['connectors', 'set', 'ldap', '--set', 'bindPW=hunter2-secret'],
    stderr:
      'error: bindPW is a secret field of a ldap connector: it is never accepted as an argument (ps and shell history show arguments); nothing was written\nhint: give it with --secret-env bindPW=VAR, --secret-file bindPW=PATH or --secret-stdin bindPW\n',
  },
  {
    argv: ['connectors', 'add', 'github', 'x', '--name', 'X', '--set', 'clientSecret=hunter2-secret'],
    stderr:
      'error: clientSecret is a secret field of a github connector: it is never accepted as an argument (ps and shell history show arguments); nothing was written\nhint: give it with --secret-env clientSecret=VAR, --secret-file clientSecret=PATH or --secret-stdin clientSecret\n',
  },
  {
    argv: ['connectors', 'add', 'github', 'github', '--name', 'X'],
    stderr:
      'error: a connector with id "github" already exists; nothing was written\nhint: run \'epinio-dex-admin connectors add --help\' for usage\n',
  },
  {
    argv: ['connectors', 'add', 'github', 'x', '--name', 'X', '--secret-env', 'clientSecret=EDA_UNSET'],
    stderr:
      "error: the environment variable EDA_UNSET for clientSecret is not set or empty; nothing was written\nhint: run 'epinio-dex-admin connectors add --help' for usage\n",
  },
  {
    argv: ['connectors', 'set', 'github', '--set', 'loadAllGroups=maybe'],
    stderr:
      'error: invalid value "maybe" for loadAllGroups: expected true or false\nhint: run \'epinio-dex-admin connectors set --help\' for usage\n',
  },
  {
    argv: ['connectors', 'move', 'ldap', '--to', '7'],
    stderr:
      'error: invalid value "7" for --to: positions run from 0 to 1\nhint: run \'epinio-dex-admin connectors move --help\' for usage\n',
  },
  {
    argv: ['connectors', 'rename', 'ldap', 'has space'],
    stderr:
      'error: invalid connector id "has space": no spaces or slashes (the id is part of the callback URL); nothing was written\nhint: run \'epinio-dex-admin connectors rename --help\' for usage\n',
  },
  {
    argv: ['mappings', 'add-group', 'github', 'acme:x', '--roles', 'admin,nope'],
    // The known roles depend on the role ConfigMaps of each backend.
    stderr:
      /^error: unknown role "nope": Epinio skips unknown roles; nothing was written\nhint: known roles: admin, [a-z_, ]+\n$/,
  },
  {
    argv: ['mappings', 'set-roles', 'github', 'acme:developers'],
    stderr:
      "error: --roles R1,R2 is required (at least one role)\nhint: run 'epinio-dex-admin mappings set-roles --help' for usage\n",
  },
  {
    argv: ['dex-users', 'add', 'not-an-email', '--password-stdin'],
    stdin: PASSWORD,
    stderr:
      'error: invalid email "not-an-email": not an email address; nothing was written\nhint: run \'epinio-dex-admin dex-users add --help\' for usage\n',
  },
];

for (const [name, make] of [
  ['a manifest file (--file)', async () => fileBackend()],
  ['the real API server', clusterBackend],
] as const) {
  describe(`edit commands on ${name}`, () => {
    let backend: Backend;
    const cli = (argv: string[], c: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> =>
      run([...argv, ...backend.flags], { stdin: c.stdin, env: { NO_COLOR: '1', ...c.env } });
    const decode = (s: State) =>
      [parseYaml(s.config) as Config, (parseYaml(s.mapping) ?? []) as Mapping] as const;
    before(async () => {
      backend = await make();
    });

    it('each command: a dry run in json and yaml writes nothing, the write in table form does what it says', async () => {
      const issuer = decode(await backend.state())[0].issuer;
      for (const c of cases(issuer)) {
        const argv = c.argv;
        const start = await backend.state();
        const views = [];
        for (const output of ['json', 'yaml']) {
          const dry = await cli([...argv, '--dry-run', '-o', output], c);
          assert.equal(dry.code, 0, `${argv.join(' ')}: ${dry.stderr}`);
          const view = (output === 'json' ? JSON.parse(dry.stdout) : parseYaml(dry.stdout)) as {
            dryRun: boolean;
            saved: boolean;
            changed: string[];
            diff: string[];
            errors: unknown[];
          };
          assert.equal(view.dryRun, true);
          assert.equal(view.saved, false);
          assert.ok(view.changed.length && view.diff.length, argv.join(' '));
          assert.doesNotMatch(dry.stdout, new RegExp(`${SECRET}|\\$2[aby]\\$`));
          views.push(view.changed);
          const now = await backend.state();
          assert.equal(now.resourceVersion, start.resourceVersion, `dry run of ${argv.join(' ')} wrote`);
          assert.equal(now.bytes, start.bytes);
        }
        assert.deepEqual(views[0], views[1]);
        const r = await cli(argv, c);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, c.said);
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`${SECRET}|\\$2[aby]\\$|${PASSWORD}`));
        const after = await backend.state();
        assert.notEqual(after.resourceVersion, start.resourceVersion);
        await c.check(...decode(after));
      }
    });

    it('bad input: exit 2 with the exact message, nothing written, no secret echoed', async () => {
      for (const bad of REFUSALS) {
        const start = await backend.state();
        const r = await cli(bad.argv, { stdin: bad.stdin });
        assert.deepEqual([r.code, r.stdout], [2, ''], `${bad.argv.join(' ')}: ${r.stderr}`);
        if (typeof bad.stderr === 'string') assert.equal(r.stderr, bad.stderr);
        else assert.match(r.stderr, bad.stderr);
        assert.doesNotMatch(r.stderr, /hunter2/);
        const now = await backend.state();
        assert.equal(now.resourceVersion, start.resourceVersion);
        assert.equal(now.bytes, start.bytes);
      }
    });

    it('dex-users list in table, json and yaml, never a hash', async () => {
      const t = await cli(['dex-users', 'list']);
      assert.equal(t.code, 0, t.stderr);
      assert.match(
        t.stdout,
        /^EMAIL +USERNAME +USER ID +GROUPS +PASSWORD\nadmin@epinio\.io +admin +08a8684b-db88-4b73-90a9-3cd1661f5466 +hash\n/,
      );
      const j = JSON.parse((await cli(['dex-users', 'list', '-o', 'json'])).stdout) as unknown[];
      assert.deepEqual(j[1], {
        email: 'ops@example.com',
        username: 'ops',
        userID: '5d1c0c1e-3f5e-4a51-9d0b-7f3e2c6a9b10',
        groups: ['ops'],
        password: 'hash',
      });
      const y = await cli(['dex-users', 'list', '-o', 'yaml']);
      assert.deepEqual(parseYaml(y.stdout), j);
      assert.doesNotMatch(t.stdout + y.stdout + JSON.stringify(j), /\$2[aby]\$/);
    });

    it('not found is exit 4, an edit adding errors is exit 1 without --force, --read-only refuses all but a dry run, a no-op writes nothing', async () => {
      const start = await backend.state();
      assert.deepEqual(await cli(['connectors', 'delete', 'nope']), {
        code: 4,
        stdout: '',
        stderr: 'error: connector "nope" not found in config.yaml\nhint: connector ids: github, ldap\n',
      });
      assert.deepEqual(await cli(['mappings', 'remove', 'github', 'nope']), {
        code: 4,
        stdout: '',
        stderr:
          'error: connector "github" has no mapped group "nope" (group ids are compared exactly)\nhint: groups: acme:platform-admins, acme:developers\n',
      });
      const broken = await cli(['connectors', 'set', 'github', '--unset', 'clientID']);
      assert.equal(broken.code, 1);
      assert.match(
        broken.stderr,
        /^error: change connector github would add 1 error: .*; nothing was written\nhint: review it with --dry-run; --force saves it anyway\n/,
      );
      const same = await cli(['mappings', 'convert']);
      assert.deepEqual([same.code, same.stderr], [0, '']);
      assert.match(
        same.stdout,
        /(^|\n)convert rolesMapping to the modern format: already so; nothing was written\n$/,
      );
      const ro = await cli(['connectors', 'delete', 'ldap', '--read-only']);
      assert.deepEqual(ro, {
        code: 1,
        stdout: '',
        stderr:
          'error: read-only: started with --read-only; nothing was written\nhint: run without --read-only to change anything\n',
      });
      assert.equal((await cli(['connectors', 'delete', 'ldap', '--read-only', '--dry-run'])).code, 0);
      const now = await backend.state();
      assert.equal(now.resourceVersion, start.resourceVersion);
      assert.equal(now.bytes, start.bytes);
    });
  });
}
