// The built TUI in a real pseudo-terminal (tmux) against the real kube-apiserver of the test stack:
// what an operator does with the keyboard ends up in the cluster exactly as intended, checked with
// an independent client (adminClient) and, for hashes, with Go's x/crypto/bcrypt (the checker).
// Keys are sent one at a time and each waits for its effect on screen (tmux.ts press()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  adminClient,
  createTestNamespace,
  fixtureUsers,
  getStack,
  DEX_CONFIG_YAML,
  ROLES_MAPPING_YAML,
} from '../stack/env.js';
import { runChecker } from '../checker/checker.js';
import { binArgv, start, sttyFlags, type TmuxSession } from './tmux.js';

const T = { timeout: 300_000 };
/** The save button; "Save anyway" when validation finds errors. */
const SAVE = 'Save(?: anyway)?';

async function readDexConfig(
  ns: string,
): Promise<{ config: string; mapping: string; resourceVersion: string }> {
  const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/dex-config`);
  assert.equal(res.status, 200, `reading dex-config: ${JSON.stringify(res.body)}`);
  const d = res.body.data as Record<string, string>;
  return {
    config: Buffer.from(d['config.yaml'] ?? '', 'base64').toString('utf8'),
    mapping: Buffer.from(d.rolesMapping ?? '', 'base64').toString('utf8'),
    resourceVersion: res.body.metadata.resourceVersion as string,
  };
}

async function patchDexConfig(ns: string, data: Record<string, string>): Promise<void> {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  const res = await adminClient().patch(`/api/v1/namespaces/${ns}/secrets/dex-config`, { data: encoded });
  assert.equal(res.status, 200, `patching dex-config: ${JSON.stringify(res.body)}`);
}

/** Starts the TUI on a namespace and waits for the loaded connectors list. */
async function openTui(kubeconfig: string, ns: string): Promise<TmuxSession> {
  const s = await start(binArgv('--kubeconfig', kubeconfig, '-n', ns), { cols: 120, rows: 40 });
  try {
    await s.waitFor(/PROBLEMS[\s\S]*github[\s\S]*ldap/, { timeoutMs: 120_000 });
  } catch (err) {
    await s.stop();
    throw err;
  }
  return s;
}

/** Mapping entries (connectorId) in document order, read from the raw YAML text. */
const entryOrder = (mapping: string) => [...mapping.matchAll(/^- connectorId: (\S+)/gm)].map((m) => m[1]);

/** Confirm dialogs default to Cancel: Tab to the confirm button (the marker moves), then Enter. */
async function confirm(s: TmuxSession, button: string, until: string | RegExp): Promise<string> {
  await s.press('Tab', new RegExp(`>\\[ ${button} \\]`));
  return s.press('Enter', until, { timeoutMs: 90_000 });
}

test(
  'a) password reset on the Users screen: masked entry twice, confirm; Go bcrypt verifies the stored hash',
  T,
  async () => {
    const ns = await createTestNamespace('e2e-pw', { fixtures: true });
    const user = fixtureUsers.find((u) => u.username === 'ops@example.com')!;
    const password = `Tui-e2e-${randomBytes(6).toString('hex')}`;
    const s = await openTui(getStack().kubeconfigs.admin, ns);
    const screens: string[] = [];
    try {
      await s.press('3', /\d+ of \d+ users/);
      await s.press('/', 'Filter');
      await s.type('ops@');
      await s.waitFor('contains: ops@');
      await s.press('Enter', /^> ops@example\.com/m);
      screens.push(await s.press('p', 'Reset password: ops@example.com'));
      await s.type(password);
      screens.push(await s.waitFor(`new password *: ${'•'.repeat(password.length)}`));
      await s.press('Tab');
      await s.type(password);
      screens.push(
        await s.waitFor(
          new RegExp(`repeat \\*: ${'•'.repeat(password.length)}[\\s\\S]*meets the password policy`),
        ),
      );
      const shownCost = Number(/bcrypt cost: < (\d+) >/.exec(screens[screens.length - 1]!)?.[1]);
      assert.ok(shownCost >= 10, `the dialog shows the bcrypt cost:\n${screens[screens.length - 1]}`);
      screens.push(await s.press('Enter', 'Set the password of ops@example.com?'));
      screens.push(await confirm(s, 'Set password', /password of ops@example\.com set and verified/));
      for (const screen of screens)
        assert.ok(!screen.includes(password), `the password never appears on screen:\n${screen}`);

      const res = await adminClient().get(`/api/v1/namespaces/${ns}/secrets/${user.secretName}`);
      assert.equal(res.status, 200);
      const hash = Buffer.from(res.body.data.password as string, 'base64').toString('utf8');
      assert.notEqual(hash, user.hash, 'the stored hash changed');
      assert.match(hash, /^\$2[aby]\$\d\d\$/, 'a bcrypt hash is stored');
      const out = await runChecker({
        bcrypt: [
          { hash, password },
          { hash, password: user.password! },
        ],
      });
      assert.deepEqual(
        out.bcrypt?.map((b) => b.ok),
        [true, false],
        `Go's bcrypt accepts the typed password and rejects the old one: ${JSON.stringify(out.bcrypt)}`,
      );
      assert.equal(
        out.bcrypt?.[0]?.cost,
        shownCost,
        `the cost shown in the dialog (${shownCost}) is the stored cost`,
      );
      // Nothing else of the user changed: roles annotation and username stay.
      assert.equal(res.body.metadata.annotations['epinio.io/roles'], user.roles);
      assert.equal(Buffer.from(res.body.data.username as string, 'base64').toString('utf8'), user.username);
    } finally {
      await s.stop();
    }
  },
);

test(
  'b) reorder a rolesMapping entry and save: new order in the Secret, comments kept, config.yaml untouched',
  T,
  async () => {
    const ns = await createTestNamespace('e2e-order', { fixtures: true });
    const s = await openTui(getStack().kubeconfigs.admin, ns);
    try {
      await s.press('2', 'CONNECTOR / GROUP');
      await s.waitFor(/^> github \(2 groups\)/m);
      await s.press('J', 'staged: move mapping entry github down');
      await s.waitFor(/unsaved changes \(1\)/);
      const diff = await s.press('w', 'Save dex-config (1 staged step)');
      assert.match(
        diff,
        /^│ [-+]- connectorId: (github|ldap)/m,
        `the diff of rolesMapping is shown:\n${diff}`,
      );
      await confirm(s, SAVE, /saved rolesMapping/);
      await s.waitUntil((t) => !/unsaved changes/.test(t), 'the unsaved marker to go away');

      const after = await readDexConfig(ns);
      assert.deepEqual(
        entryOrder(after.mapping),
        ['ldap', 'github', 'local'],
        `new order:\n${after.mapping}`,
      );
      for (const comment of [
        '# Who gets which Epinio role, per Dex connector (Epinio >= 1.11 list form).',
        '# platform team: full access',
        '# scoped admin in team-blue',
        '# Dex static users (password DB)',
      ])
        assert.ok(after.mapping.includes(comment), `comment kept: ${comment}\n${after.mapping}`);
      assert.equal(after.config, DEX_CONFIG_YAML, 'config.yaml is byte-identical');
    } finally {
      await s.stop();
    }
  },
);

test(
  'c1) concurrent writer changes config.yaml while rolesMapping edits are staged: save merges, no lost update',
  T,
  async () => {
    const ns = await createTestNamespace('e2e-race', { fixtures: true });
    const s = await openTui(getStack().kubeconfigs.admin, ns);
    try {
      await s.press('2', 'CONNECTOR / GROUP');
      await s.waitFor(/^> github \(2 groups\)/m);
      await s.press('J', 'staged: move mapping entry github down');
      const theirs = `${DEX_CONFIG_YAML}# changed by another operator ${randomBytes(3).toString('hex')}\n`;
      await patchDexConfig(ns, { 'config.yaml': theirs });
      await s.press('w', 'Save dex-config');
      const screen = await confirm(s, SAVE, /saved rolesMapping|[Cc]onflict/);
      assert.match(screen, /saved rolesMapping/, `the save went through:\n${screen}`);
      assert.match(screen, /someone else changed config\.yaml/, `the merge is reported:\n${screen}`);

      const after = await readDexConfig(ns);
      assert.equal(after.config, theirs, "the other writer's config.yaml is kept");
      assert.deepEqual(entryOrder(after.mapping), ['ldap', 'github', 'local'], 'our reorder is saved');
    } finally {
      await s.stop();
    }
  },
);

test(
  'c2) concurrent writer changes rolesMapping itself: conflict shown, nothing overwritten, staged edits kept',
  T,
  async () => {
    const ns = await createTestNamespace('e2e-conflict', { fixtures: true });
    const s = await openTui(getStack().kubeconfigs.admin, ns);
    try {
      await s.press('2', 'CONNECTOR / GROUP');
      await s.waitFor(/^> github \(2 groups\)/m);
      await s.press('J', 'staged: move mapping entry github down');
      const theirs = `${ROLES_MAPPING_YAML}- connectorId: github\n  groups:\n  - { id: "acme:auditors", roles: ["view_only"] }\n`;
      await patchDexConfig(ns, { rolesMapping: theirs });
      const before = await readDexConfig(ns);
      await s.press('w', 'Save dex-config');
      const conflict = await confirm(
        s,
        SAVE,
        /Conflict: dex-config changed on the cluster|saved rolesMapping/,
      );
      assert.match(
        conflict,
        /Conflict: dex-config changed on the cluster/,
        `a conflict is shown:\n${conflict}`,
      );
      assert.match(conflict, /rolesMapping/, 'the conflicting key is named');
      assert.match(conflict, /acme:auditors/, "the remote change is shown in the conflict's diff");

      const afterConflict = await readDexConfig(ns);
      assert.equal(
        afterConflict.mapping,
        theirs,
        "nothing overwritten: the other writer's rolesMapping is intact",
      );
      assert.equal(afterConflict.resourceVersion, before.resourceVersion, 'no write happened at all');

      // Default choice "Keep editing": the staged step is still there.
      const kept = await s.press('Enter', /^your staged edits are kept; nothing was written/m);
      assert.match(kept, /unsaved changes \(1\)/, `the staged edit is kept:\n${kept}`);

      // Then: reload and re-apply on top of theirs, save: both changes present.
      await s.press('w', 'Save dex-config');
      await confirm(s, SAVE, /Conflict: dex-config changed/);
      await confirm(s, 'Reload and re-apply my edits', /re-applied on top/);
      await s.press('w', 'Save dex-config');
      await confirm(s, SAVE, /saved rolesMapping/);
      const final = await readDexConfig(ns);
      assert.ok(final.mapping.includes('acme:auditors'), `their entry survived:\n${final.mapping}`);
      assert.deepEqual(
        entryOrder(final.mapping).slice(0, 2),
        ['ldap', 'github'],
        `our move applied on top:\n${final.mapping}`,
      );
    } finally {
      await s.stop();
    }
  },
);

test(
  'd) read-only user (viewer): READ-ONLY badge, no write actions in the footer or the help',
  T,
  async () => {
    const ns = await createTestNamespace('e2e-viewer', { fixtures: true });
    const s = await openTui(getStack().kubeconfigs.viewer, ns);
    const WRITE_LABELS =
      /\b(save|add|edit|delete|remove|create|reset password|edit roles|rename|move up|move down|restart Dex|undo last save|convert to modern|add group|add entry)\b/;
    try {
      const first = await s.waitFor('READ-ONLY', { timeoutMs: 60_000 });
      assert.match(first.split('\n')[0]!, /READ-ONLY/, 'the badge is in the header row');
      for (const [key, marker] of [
        ['1', 'PROBLEMS'],
        ['2', 'CONNECTOR / GROUP'],
        ['3', 'USERNAME'],
        ['4', 'EMAIL'],
      ] as const) {
        const screen = await s.press(key, marker);
        const lines = screen.replace(/\n+$/, '').split('\n');
        const footer = lines[lines.length - 1]!;
        assert.match(footer, /\? help · q quit/, `the key hints line (tab ${key}): ${footer}`);
        assert.doesNotMatch(footer, WRITE_LABELS, `no write action in the footer of tab ${key}: ${footer}`);
        const help = await s.press('?', /Keys[\s\S]*read-only: actions that write are hidden/);
        const box = help
          .split('\n')
          .filter((l) => l.startsWith('│'))
          .join('\n');
        assert.doesNotMatch(
          box.replace(/read-only:.*$/m, ''),
          WRITE_LABELS,
          `no write action in the help of tab ${key}:\n${box}`,
        );
        await s.press('Escape', /\? help · q quit\s*$/);
      }
      // A write key is refused with the reason, not silently ignored.
      const refused = await s.press('w', /not available in read-only mode/);
      assert.match(refused, /"save" is not available in read-only mode/);
    } finally {
      await s.stop();
    }
  },
);

test('e) Ctrl+C against the cluster restores the terminal (normal screen, echo, icanon)', T, async () => {
  const ns = await createTestNamespace('e2e-ctrlc', { fixtures: true });
  const s = await openTui(getStack().kubeconfigs.admin, ns);
  try {
    assert.equal(await s.altScreenOn(), true, 'the TUI uses the alternate screen');
    await s.press('3', /\d+ of \d+ users/);
    await s.keys('C-c');
    const exit = await s.waitExit({ timeoutMs: 60_000 });
    assert.equal(exit.code, 130, `exit status 130 after Ctrl+C:\n${exit.screen}`);
    assert.equal(await s.altScreenOn(), false, 'back on the normal screen');
    const flags = sttyFlags(exit.stty);
    assert.equal(flags.echo, true, `echo on:\n${exit.stty}`);
    assert.equal(flags.icanon, true, `icanon on:\n${exit.stty}`);
    assert.doesNotMatch(exit.screen, /1 Connectors/, 'no frame left on the normal screen');
  } finally {
    await s.stop();
  }
});

test('--demo opens the TUI on a copy: the copy path is shown, and the demo connectors', T, async () => {
  const s = await start(binArgv('--demo'), { cols: 120, rows: 40 });
  try {
    const screen = await s.waitFor(/PROBLEMS[\s\S]*keycloak/, { timeoutMs: 120_000 });
    const copy = /demo copy (\/\S+demo-manifest\.yaml)/.exec(screen);
    assert.ok(copy, `the header names the demo copy:\n${screen}`);
    assert.match(screen, /demo sandbox: edits go to a copy at \/\S+/, 'the status line explains the sandbox');
    for (const id of ['github', 'ldap', 'keycloak'])
      assert.match(screen, new RegExp(`^[> ] \\d+\\s+${id}\\s`, 'm'), `connector ${id} listed`);
  } finally {
    await s.stop();
  }
});

test(
  "CI=true in an operator's environment still draws the UI (Ink would otherwise print only a final frame)",
  T,
  async () => {
    const s = await start(binArgv('--demo'), {
      cols: 120,
      rows: 40,
      env: { CI: 'true', CONTINUOUS_INTEGRATION: '1' },
    });
    try {
      const screen = await s.waitFor(/PROBLEMS[\s\S]*keycloak/, { timeoutMs: 120_000 });
      assert.match(screen, /1 Connectors/);
    } finally {
      await s.stop();
    }
  },
);

test(
  'type-ahead: keys that arrive in one read are all handled (three j move the cursor three rows)',
  T,
  async () => {
    const s = await start(binArgv('--demo'), { cols: 120, rows: 40 });
    try {
      await s.waitFor(/PROBLEMS[\s\S]*keycloak/, { timeoutMs: 120_000 });
      await s.press('3', /^> admin\s/m);
      // One write of three bytes: what a fast typist, a paste or a laggy ssh link delivers.
      await s.type('jjj');
      await s.waitFor(/^> jane\.doe@example\.com\s/m, { timeoutMs: 15_000 });
    } finally {
      await s.stop();
    }
  },
);
