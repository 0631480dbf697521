// Canaries: unique values planted in client secrets, bind passwords, password hashes and typed
// passwords, then a representative set of commands runs with --debug FILE. Checked for every
// canary: all stdout and stderr, the debug log, backup file names (contents legitimately hold the
// Secret data; only their names and modes are checked: 0600 files in a 0700 directory), and the
// argv of every process on the machine plus the environment of the CLI's process tree, sampled
// from /proc while each command runs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { openStore } from '../../source/store/connect.js';
import { adminClient, createTestNamespace, DEX_CONFIG_YAML, fixtureUsers, getStack } from '../stack/env.js';
import { runBin } from './lib/cli.js';

const tag = (what: string): string => `canary${what}${randomBytes(6).toString('hex')}`;
const CANARY = {
  clientSecret: tag('ClientSecret'),
  bindPW: tag('BindPW'),
  uiClientSecret: tag('UiSecret'),
  typedPassword: tag('Typed'),
  createdPassword: tag('Created'),
};
// Hashes are canaries too: unique salts, so the hash strings appear nowhere else.
const STATIC_HASH = bcrypt.hashSync(tag('StaticPw'), 10);
const USER_HASH = bcrypt.hashSync(tag('UserPw'), 10);
const CANARIES: Record<string, string> = { ...CANARY, staticHash: STATIC_HASH, userHash: USER_HASH };
const OPS = fixtureUsers.find((u) => u.username === 'ops@example.com')!;
const ADMIN_USER = fixtureUsers.find((u) => u.username === 'admin')!;

const work = mkdtempSync(join(tmpdir(), 'eda-canary-'));
const STATE = join(work, 'state');
const places: { where: string; text: string }[] = [];
let ns: string;

function plant(): string {
  return DEX_CONFIG_YAML.replace(/clientSecret: "[^"]*"/, `clientSecret: "${CANARY.clientSecret}"`)
    .replace(/bindPW: "[^"]*"/, `bindPW: "${CANARY.bindPW}"`)
    .replace(/secret: "[^"]*"/, `secret: "${CANARY.uiClientSecret}"`)
    .replace(/hash: "[^"]*"/g, `hash: "${STATIC_HASH}"`);
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('canaries: no secret leaks into output, logs, backup names or argv', { concurrency: 1 }, () => {
  before(async () => {
    ns = await createTestNamespace('canary', { fixtures: true });
    const config = plant();
    for (const v of [CANARY.clientSecret, CANARY.bindPW, CANARY.uiClientSecret, STATIC_HASH])
      assert.ok(config.includes(v), 'canary not planted');
    const c = adminClient();
    const r1 = await c.patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, {
      data: { 'config.yaml': b64(config), uiClientSecret: b64(CANARY.uiClientSecret) },
    });
    assert.equal(r1.status, 200);
    const r2 = await c.patch(`/api/v1/namespaces/${ns}/secrets/${ADMIN_USER.secretName}`, {
      data: { password: b64(USER_HASH) },
    });
    assert.equal(r2.status, 200);
    // One save through the store, as the TUI does, so a backup of the canary-laden Secret exists
    // (backups are per server + context + namespace: the admin kubeconfig's, like the commands').
    process.env.XDG_STATE_HOME = STATE;
    const store = await openStore({
      kubeconfig: getStack().kubeconfigs.admin,
      namespace: ns,
      requestTimeoutMs: 20_000,
    });
    const base = await store.getDexConfig();
    await store.saveDexConfig({
      base,
      changes: { rolesMapping: `${base.data.rolesMapping}# canary save\n` },
    });
  });

  it('a representative set of commands leaks no canary anywhere', { timeout: 15 * 60_000 }, async () => {
    const kube = ['--kubeconfig', getStack().kubeconfigs.admin, '-n', ns, '--request-timeout', '30s'];
    const runs: { name: string; argv: string[]; stdin?: string; code?: number[] }[] = [
      { name: 'connectors list', argv: ['connectors', 'list'] },
      { name: 'connectors list json', argv: ['connectors', 'list', '-o', 'json'] },
      { name: 'connectors show github', argv: ['connectors', 'show', 'github'] },
      { name: 'connectors show ldap yaml', argv: ['connectors', 'show', 'ldap', '-o', 'yaml'] },
      { name: 'connectors show ldap json', argv: ['connectors', 'show', 'ldap', '-o', 'json'] },
      { name: 'mappings list', argv: ['mappings', 'list', '-o', 'yaml'] },
      { name: 'users list', argv: ['users', 'list'] },
      { name: 'users list json', argv: ['users', 'list', '-o', 'json'] },
      { name: 'users list yaml', argv: ['users', 'list', '-o', 'yaml'] },
      { name: 'roles list', argv: ['roles', 'list'] },
      { name: 'validate', argv: ['validate'], code: [0, 1] },
      { name: 'validate json', argv: ['validate', '-o', 'json'], code: [0, 1] },
      {
        name: 'set-password (stdin)',
        argv: ['users', 'set-password', OPS.username, '--password-stdin', '--cost', '10'],
        stdin: `${CANARY.typedPassword}\n`,
      },
      {
        name: 'set-password dry run',
        argv: ['users', 'set-password', OPS.username, '--password-stdin', '--cost', '10', '--dry-run'],
        stdin: `${CANARY.typedPassword}\n`,
      },
      {
        name: 'set-password too short',
        argv: ['users', 'set-password', OPS.username, '--password-stdin'],
        stdin: 'ab1\n',
        code: [1, 2],
      },
      {
        name: 'users create (stdin)',
        argv: ['users', 'create', 'canary@example.com', '--password-stdin', '--cost', '10', '--role', 'user'],
        stdin: `${CANARY.createdPassword}\n`,
      },
      { name: 'backups list', argv: ['backups', 'list'] },
    ];
    let samples = 0;
    const debugLogs: string[] = [];
    const exec = async (name: string, argv: string[], stdin?: string, codes = [0]): Promise<string> => {
      const debugFile = join(work, `debug-${debugLogs.length}.log`);
      debugLogs.push(debugFile);
      const r = await runBin([...argv, ...kube, '--debug', debugFile], {
        stdin,
        env: { XDG_STATE_HOME: STATE },
        sample: true,
      });
      assert.ok(codes.includes(r.code), `${name}: exit ${r.code}\n${r.stderr}`);
      places.push({ where: `${name}: stdout`, text: r.stdout }, { where: `${name}: stderr`, text: r.stderr });
      for (const s of r.samples) places.push({ where: `${name}: /proc/${s.pid}/${s.what}`, text: s.text });
      samples += r.samples.length;
      places.push({ where: `${name}: debug log`, text: readFileSync(debugFile, 'utf8') });
      return r.stdout;
    };
    for (const r of runs) await exec(r.name, r.argv, r.stdin, r.code);
    // A restore writes dex-config, taking a backup first (before() saved once, so one exists).
    const listed = JSON.parse(await exec('backups list json', ['backups', 'list', '-o', 'json'])) as {
      id: string;
    }[];
    assert.ok(listed.length > 0, 'no backup listed');
    await exec('backups restore', ['backups', 'restore', listed[listed.length - 1]!.id]);

    // Backup files: names carry no canary, contents are private.
    const dir = join(STATE, 'epinio-dex-admin', 'backups');
    let backupFiles: string[] = [];
    try {
      backupFiles = readdirSync(dir);
    } catch {
      // no backups taken
    }
    for (const name of backupFiles) {
      places.push({ where: `backup file name ${name}`, text: name });
      const mode = statSync(join(dir, name)).mode & 0o777;
      assert.equal(mode, 0o600, `backup ${name} has mode ${mode.toString(8)}`);
    }
    if (backupFiles.length) assert.equal(statSync(dir).mode & 0o777, 0o700, 'backup directory mode');

    const leaks: string[] = [];
    for (const p of places) {
      for (const [name, value] of Object.entries(CANARIES)) {
        if (p.text.includes(value)) leaks.push(`${name} in ${p.where}`);
      }
    }
    console.log(
      `canary: ${places.length} places checked (${runs.length + 2} commands: stdout, stderr, debug log; ${samples} /proc samples; ${backupFiles.length} backup names), ${leaks.length} leaks`,
    );
    for (const l of leaks.slice(0, 20)) console.log(`  leak: ${l}`);
    assert.deepEqual(leaks, []);
    // Positive control: the canaries are really in the data the commands read (else "0 leaks" is vacuous).
    const shown = await runBin(['connectors', 'show', 'ldap', '--show-secrets', '-o', 'yaml', ...kube], {
      env: { XDG_STATE_HOME: STATE },
    });
    assert.ok(
      shown.stdout.includes(CANARY.bindPW),
      'control: --show-secrets does not print the planted bindPW',
    );
    // The typed password really was used (the canary check would be vacuous otherwise).
    const ops = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/${OPS.secretName}`);
    assert.ok(
      bcrypt.compareSync(
        CANARY.typedPassword,
        Buffer.from(ops.body.data.password, 'base64').toString('utf8'),
      ),
    );
    assert.ok(
      debugLogs.every((f) => readFileSync(f, 'utf8').length > 0),
      'a debug log is empty',
    );
  });
});
