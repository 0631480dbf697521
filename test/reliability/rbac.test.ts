// The RBAC sweep: every scripted command of the built binary as `nobody` (no rights), `viewer`
// (read-only) and `users-only` (user Secrets writable, dex-config and Dex not). A refused command
// exits 3 with the clear Forbidden message naming the verb and the resource (and the kubectl auth
// can-i hint), and writes nothing; reads work for viewer and users-only; the store's capabilities()
// reports read-only with reasons. (The TUI part of the sweep lives in the e2e suite.)
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Backups } from '../../source/store/backups.js';
import { openStore } from '../../source/store/connect.js';
import {
  adminClient,
  createTestNamespace,
  fixtureUsers,
  getStack,
  getStackInfo,
  type Identity,
} from '../stack/env.js';
import { runBin, type CliResult } from './lib/cli.js';

const STATE = mkdtempSync(join(tmpdir(), 'eda-rbac-state-'));
const OPS = fixtureUsers.find((u) => u.username === 'ops@example.com')!;
const JANE = fixtureUsers.find((u) => u.username === 'jane.doe@example.com')!;
const FORBIDDEN =
  /^error: forbidden: cannot (get|list|patch|create|delete|update) (secrets|configmaps|deployments)( "[^"]+")? in namespace "[^"]+": /m;
const CONTEXT: Record<Identity, string> = {
  admin: 'eda-admin',
  viewer: 'eda-viewer',
  usersOnly: 'eda-users-only',
  none: 'eda-nobody',
  operator: 'eda-operator-two',
};

interface Cmd {
  name: string;
  argv: string[];
  stdin?: string;
  write: boolean;
  /** Touches only user Secrets (allowed for users-only). */
  users?: boolean;
  /** Needs a backup id (filled in per identity). */
  backup?: boolean;
}

const COMMANDS: Cmd[] = [
  { name: 'connectors list', argv: ['connectors', 'list'], write: false },
  { name: 'connectors show', argv: ['connectors', 'show', 'github'], write: false },
  { name: 'mappings list', argv: ['mappings', 'list'], write: false },
  {
    name: 'mappings simulate',
    argv: ['mappings', 'simulate', '--connector', 'github', '--group', 'acme:developers'],
    write: false,
  },
  { name: 'validate', argv: ['validate'], write: false },
  { name: 'users list', argv: ['users', 'list', '-o', 'json'], write: false },
  { name: 'roles list', argv: ['roles', 'list'], write: false },
  {
    name: 'users set-password',
    argv: ['users', 'set-password', OPS.username, '--password-stdin', '--cost', '10'],
    stdin: 'rbac-sweep-Pass-1\n',
    write: true,
    users: true,
  },
  {
    name: 'users set-roles',
    argv: ['users', 'set-roles', OPS.username, '--role', 'user'],
    write: true,
    users: true,
  },
  {
    name: 'users create',
    argv: ['users', 'create', 'rbac-new@example.com', '--no-password', '--role', 'user'],
    write: true,
    users: true,
  },
  { name: 'users delete', argv: ['users', 'delete', JANE.username, '--yes'], write: true, users: true },
  { name: 'dex restart', argv: ['dex', 'restart'], write: true },
  { name: 'backups restore', argv: ['backups', 'restore'], write: true, backup: true },
];

let ns: string;
const figures = { runs: 0, forbidden: 0, readsOk: 0, userWritesOk: 0, unchanged: 0 };

/** resourceVersions of everything a command could write: Secrets and the dex Deployment. */
async function state(): Promise<string> {
  const c = adminClient();
  const secrets = await c.get(`/api/v1/namespaces/${ns}/secrets`);
  const dex = await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`);
  const items = (secrets.body.items as { metadata: { name: string; resourceVersion: string } }[])
    .map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`)
    .sort();
  return JSON.stringify({ items, dex: dex.body.metadata.resourceVersion });
}

async function run(identity: Identity, cmd: Cmd, backupId: string): Promise<CliResult> {
  figures.runs++;
  const argv = [
    ...cmd.argv,
    ...(cmd.backup ? [backupId] : []),
    '--kubeconfig',
    getStack().kubeconfigs[identity],
    '-n',
    ns,
    '--request-timeout',
    '30s',
  ];
  return runBin(argv, { stdin: cmd.stdin, env: { XDG_STATE_HOME: STATE } });
}

function assertForbidden(identity: Identity, cmd: Cmd, r: CliResult): void {
  const what = `${identity} ${cmd.name}`;
  assert.equal(r.code, 3, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, FORBIDDEN, `${what}: ${r.stderr}`);
  assert.match(
    r.stderr,
    /kubectl auth can-i (get|list|patch|create|delete|update) (secrets|configmaps|deployments)/,
    `${what}: no can-i hint`,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: stack trace`);
  figures.forbidden++;
}

/** A backup for this identity's target (backups are per server + context + namespace). */
async function backupFor(identity: Identity): Promise<string> {
  const info = getStackInfo();
  const dex = await (
    await openStore({ kubeconfig: info.kubeconfigs.admin, namespace: ns, requestTimeoutMs: 20_000 })
  ).getDexConfig();
  const b = new Backups(
    `${info.server} ${CONTEXT[identity]} ${ns}`,
    `context ${CONTEXT[identity]}, namespace ${ns}`,
    join(STATE, 'epinio-dex-admin', 'backups'),
  );
  // Different from the current data, so restoring it is a real write (an identical one is a no-op).
  return (
    await b.write({
      ...dex,
      data: { ...dex.data, rolesMapping: `${dex.data.rolesMapping}# from a backup\n` },
    })
  ).id;
}

describe('RBAC sweep of the scripted commands', { concurrency: 1 }, () => {
  before(async () => {
    ns = await createTestNamespace('rbac', { fixtures: true });
  });

  it(
    'nobody: every command is Forbidden (exit 3, verb and resource named), nothing written',
    { timeout: 10 * 60_000 },
    async () => {
      const backupId = await backupFor('none');
      const before = await state();
      for (const cmd of COMMANDS) assertForbidden('none', cmd, await run('none', cmd, backupId));
      assert.equal(await state(), before, 'nobody changed something');
      figures.unchanged++;
    },
  );

  it(
    'viewer: reads work, every write is Forbidden and writes nothing',
    { timeout: 10 * 60_000 },
    async () => {
      const backupId = await backupFor('viewer');
      const before = await state();
      for (const cmd of COMMANDS) {
        const r = await run('viewer', cmd, backupId);
        if (cmd.write) assertForbidden('viewer', cmd, r);
        else {
          assert.ok(
            r.code === 0 || (cmd.name === 'validate' && r.code === 1),
            `viewer ${cmd.name}: exit ${r.code}\n${r.stderr}`,
          );
          assert.doesNotMatch(r.stderr, /forbidden/i, `viewer ${cmd.name}`);
          figures.readsOk++;
        }
      }
      assert.equal(await state(), before, 'viewer changed something');
      figures.unchanged++;
    },
  );

  it(
    'users-only: reads and user writes work; dex-config and Dex writes are Forbidden',
    { timeout: 10 * 60_000 },
    async () => {
      const backupId = await backupFor('usersOnly');
      const c = adminClient();
      const dexBefore = (await c.get(`/api/v1/namespaces/${ns}/secrets/dex-config`)).body.metadata
        .resourceVersion;
      const deployBefore = (await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body.metadata
        .resourceVersion;
      for (const cmd of COMMANDS) {
        const r = await run('usersOnly', cmd, backupId);
        if (cmd.write && !cmd.users) assertForbidden('usersOnly', cmd, r);
        else {
          assert.ok(
            r.code === 0 || (cmd.name === 'validate' && r.code === 1),
            `users-only ${cmd.name}: exit ${r.code}\n${r.stderr}`,
          );
          if (cmd.write) figures.userWritesOk++;
          else figures.readsOk++;
        }
      }
      assert.equal(
        (await c.get(`/api/v1/namespaces/${ns}/secrets/dex-config`)).body.metadata.resourceVersion,
        dexBefore,
      );
      assert.equal(
        (await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/dex`)).body.metadata.resourceVersion,
        deployBefore,
      );
      figures.unchanged++;
    },
  );

  it('store capabilities(): read-only with reasons for nobody, viewer and users-only', async () => {
    const expected: Record<
      'none' | 'viewer' | 'usersOnly',
      { writeDexConfig: boolean; writeUsers: boolean; restartDex: boolean; reasons: RegExp[] }
    > = {
      none: {
        writeDexConfig: false,
        writeUsers: false,
        restartDex: false,
        reasons: [
          /cannot get secrets "dex-config"/,
          /cannot patch secrets "dex-config"/,
          /cannot patch deployments "dex"/,
        ],
      },
      viewer: {
        writeDexConfig: false,
        writeUsers: false,
        restartDex: false,
        reasons: [
          /cannot patch secrets "dex-config"/,
          /cannot create secrets/,
          /cannot patch deployments "dex"/,
        ],
      },
      // users-only may write the fixture users by name only (RBAC cannot exclude dex-config): the
      // unnamed check denies, the named one for a real user Secret allows, so users stay writable.
      usersOnly: {
        writeDexConfig: false,
        writeUsers: true,
        restartDex: false,
        reasons: [
          /cannot patch secrets "dex-config"/,
          /cannot patch deployments "dex"/,
          /cannot patch secrets in/,
        ],
      },
    };
    for (const [identity, want] of Object.entries(expected) as [
      keyof typeof expected,
      (typeof expected)['none'],
    ][]) {
      const store = await openStore({
        kubeconfig: getStack().kubeconfigs[identity],
        namespace: ns,
        requestTimeoutMs: 20_000,
      });
      const caps = await store.capabilities();
      console.log(
        `rbac: capabilities(${identity}) = dex ${caps.writeDexConfig}, users ${caps.writeUsers}, restart ${caps.restartDex}; reasons: ${caps.reasons.join('; ')}`,
      );
      assert.equal(caps.writeDexConfig, want.writeDexConfig, identity);
      assert.equal(caps.writeUsers, want.writeUsers, identity);
      assert.equal(caps.restartDex, want.restartDex, identity);
      for (const re of want.reasons)
        assert.ok(
          caps.reasons.some((r) => re.test(r)),
          `${identity}: no reason matching ${re}: ${caps.reasons.join('; ')}`,
        );
    }
    const admin = await (
      await openStore({ kubeconfig: getStack().kubeconfigs.admin, namespace: ns, requestTimeoutMs: 20_000 })
    ).capabilities();
    assert.deepEqual(admin, { writeDexConfig: true, writeUsers: true, restartDex: true, reasons: [] });
    console.log(
      `rbac: ${figures.runs} command runs, forbidden ${figures.forbidden} (exit 3, verb + resource named), reads ok ${figures.readsOk}, users-only user writes ok ${figures.userWritesOk}, identities with nothing written ${figures.unchanged}`,
    );
  });
});
