import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enterFullScreen,
  ALT_SCREEN_ENTER,
  ALT_SCREEN_LEAVE,
  SHOW_CURSOR,
} from '../../../source/ui/terminal.js';
import {
  editUntilValid,
  stripErrorComments,
  withErrorComments,
  editorCommand,
} from '../../../source/ui/editor.js';
import { themeFor } from '../../../source/ui/theme.js';
import { formFields, formEdits, validateForm } from '../../../source/ui/state/connectorForm.js';
import { schemaFor } from '../../../source/domain/connectorSchemas.js';

function fakeProcess() {
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  const out: string[] = [];
  const exits: number[] = [];
  return {
    out,
    exits,
    listeners,
    emit: (e: string, ...a: unknown[]) => listeners.get(e)?.forEach((fn) => fn(...a)),
    stdout: { write: (s: string) => (out.push(s), true) },
    proc: {
      on: (e: string, fn: (...a: unknown[]) => void) => listeners.set(e, [...(listeners.get(e) ?? []), fn]),
      off: (e: string, fn: (...a: unknown[]) => void) =>
        listeners.set(
          e,
          (listeners.get(e) ?? []).filter((f) => f !== fn),
        ),
      exit: ((c?: number) => {
        exits.push(c ?? 0);
      }) as (c?: number) => never,
      stderr: { write: (s: string) => (out.push(s), true) },
    },
  };
}

test('the terminal is restored on SIGTERM, SIGHUP, crashes and exit, exactly once', () => {
  for (const [event, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['uncaughtException', 1],
    ['unhandledRejection', 1],
  ] as const) {
    const f = fakeProcess();
    let raw: boolean | undefined;
    const guard = enterFullScreen(f.stdout, { isTTY: true, setRawMode: (m: boolean) => (raw = m) }, f.proc);
    assert.ok(f.out[0]!.startsWith(ALT_SCREEN_ENTER));
    f.emit(event, new Error('boom'));
    assert.ok(
      f.out.some((s) => s.includes(ALT_SCREEN_LEAVE) && s.includes(SHOW_CURSOR)),
      event,
    );
    assert.equal(raw, false);
    assert.deepEqual(f.exits, [code]);
    f.emit('exit');
    assert.equal(f.out.filter((s) => s.includes(ALT_SCREEN_LEAVE)).length, 1, 'restored once');
    guard.dispose();
    assert.equal([...f.listeners.values()].flat().length, 0, 'handlers removed');
  }
});

test('editor: invalid input is re-opened with the errors as # comments; unchanged text aborts', () => {
  const shown: string[] = [];
  const answers = ['type: github\nid: [broken\n', 'type: github\nid: fixed\n'];
  const launcher = (text: string) => {
    shown.push(text);
    return answers.shift() ?? text;
  };
  const result = editUntilValid(launcher, 'type: github\nid: gh\n', '.yaml', (t) =>
    t.includes('[broken') ? ['line 2: unclosed flow sequence'] : [],
  );
  assert.equal(result, 'type: github\nid: fixed\n');
  assert.match(shown[1]!, /^# Please fix the errors below/);
  assert.match(shown[1]!, /# line 2: unclosed flow sequence\ntype: github\nid: \[broken/);
  assert.equal(stripErrorComments(withErrorComments('a: 1\n', ['x'])), 'a: 1\n');
  assert.equal(
    editUntilValid(
      (t) => t,
      'a: 1\n',
      '.yaml',
      () => [],
    ),
    null,
  );
  assert.equal(
    editUntilValid(
      () => null,
      'a: 1\n',
      '.yaml',
      () => [],
    ),
    null,
  );
  assert.deepEqual(editorCommand({ VISUAL: 'code -w', EDITOR: 'nano' }), ['code', '-w']);
  assert.deepEqual(editorCommand({}), ['vi']);
});

test('NO_COLOR and dumb terminals get the monochrome theme, which still marks the selection', () => {
  assert.equal(themeFor({ NO_COLOR: '1' }).color, false);
  assert.equal(themeFor({ TERM: 'dumb' }).color, false);
  assert.equal(themeFor({ NO_COLOR: '1' }).marker, '>');
  assert.equal(themeFor({}, { isTTY: true, hasColors: () => false }).color, false);
  assert.equal(themeFor({}).color, true);
});

test('connector form from the schema: required, duplicate id, callback URL, typed values, edits', () => {
  const schema = schemaFor('github')!;
  const fields = formFields(schema, false);
  const ctx = { otherIds: ['ldap'], enablePasswordDB: true, callbackURL: 'https://auth.x/callback' };
  const errors = validateForm(
    fields,
    { id: 'ldap', name: '', redirectURI: 'https://auth.x/oauth2/callback' },
    ctx,
    false,
  );
  assert.match(errors.id!, /already exists/);
  assert.equal(errors.name, 'required');
  assert.match(errors.clientID!, /required/);
  assert.match(errors.redirectURI!, /must be exactly https:\/\/auth.x\/callback/);
  assert.equal(
    validateForm(fields, { id: 'local' }, ctx, false).id,
    'the connector id "local" is the password database (enablePasswordDB: true)',
  );
  // orgs is a list of sub-forms now (it was one line of YAML): one item, its fields by path.
  const items = { orgs: [-1] };
  const withOrg = formFields(schema, false, items);
  const texts = {
    id: 'gh',
    name: 'GitHub',
    clientID: 'c',
    clientSecret: 's',
    redirectURI: 'https://auth.x/callback',
    'orgs.0.name': 'acme',
    'orgs.0.teams': 'a, b',
    loadAllGroups: 'true',
  };
  assert.deepEqual(validateForm(withOrg, texts, ctx, false), {});
  const [add] = formEdits('github', withOrg, texts, undefined, items);
  assert.deepEqual(add, {
    op: 'connector.add',
    connector: {
      type: 'github',
      id: 'gh',
      name: 'GitHub',
      config: {
        clientID: 'c',
        clientSecret: 's',
        redirectURI: 'https://auth.x/callback',
        orgs: [{ name: 'acme', teams: ['a', 'b'] }],
        loadAllGroups: true,
      },
    },
  });
  const bad = validateForm(withOrg, { ...texts, 'orgs.0.name': ' ', loadAllGroups: 'yes' }, ctx, false);
  assert.equal(bad['orgs.0.name'], 'required', 'an org item needs its name');
  assert.match(bad.loadAllGroups!, /true or false/);
  const existing = {
    type: 'github',
    id: 'gh',
    name: 'GitHub',
    index: 0,
    config: { clientID: 'c', clientSecret: 's', unknownKey: 1 },
  };
  const edits = formEdits(
    'github',
    formFields(schema, true),
    { id: 'gh', name: 'GitHub', clientID: 'c2', clientSecret: 's' },
    existing,
  );
  assert.deepEqual(edits, [{ op: 'connector.set', id: 'gh', path: ['config', 'clientID'], value: 'c2' }]);
});
