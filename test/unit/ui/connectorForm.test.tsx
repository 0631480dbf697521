// The schema-aware connector form: an LDAP connector filled through the real app (sub-fields of
// userSearch / groupSearch with their required markers, pickers for booleans and enums, a list
// of user matchers, trimming and the space warning), then saved and read back from the file.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { DexConfigDocument } from '../../../source/domain/dexConfig.js';
import { schemaFor } from '../../../source/domain/connectorSchemas.js';
import { formEdits, formFields, initialForm, removeItem } from '../../../source/ui/state/connectorForm.js';
import { KEY, press, renderApp, spiedDemoStore, type, waitFor, waitText, writes } from './helpers.js';

afterEach(() => cleanup());

const CTRL_N = '\x0e';
const RIGHT = '\x1b[C';

test('LDAP connector through the form: sub-fields, required markers, pickers, trimming, space warning', async () => {
  const { store, calls } = await spiedDemoStore();
  const { lastFrame, stdin } = renderApp(store);
  const frame = () => lastFrame() ?? '';
  const tab = async (n = 1) => {
    for (let i = 0; i < n; i++) await press(stdin, KEY.tab);
  };
  await waitText(frame, 'Corporate LDAP');
  await press(stdin, 'a');
  await waitText(frame, 'choose a type');
  await type(stdin, 'ldap');
  await press(stdin, KEY.enter);
  await waitText(frame, 'Add LDAP connector');
  await type(stdin, 'corp2');
  await tab();
  await type(stdin, 'Corp 2');
  await tab();
  await type(stdin, '  ldap2.example.com:636 ');
  await tab();
  // insecureNoSSL is a picker: unset -> true.
  let f = await waitText(frame, '> No TLS: < unset (default false) >');
  await press(stdin, RIGHT);
  f = await waitText(frame, '> No TLS: < true >');

  // Submitting now: the focus jumps to the first required sub-field, userSearch.baseDN.
  await press(stdin, KEY.enter);
  f = await waitText(frame, 'nothing was staged');
  assert.match(f, /│ {3}User search \*\s/, 'the required object is marked');
  assert.match(f, /> {3}Base DN \*: /, 'its required sub-field is marked and focused');
  assert.match(f, /Username attribute \*:/);
  assert.match(f, /✗ required\s+│/);
  assert.deepEqual(writes(calls), []);

  // Back to the bind fields: bindDN, bindPW (a trailing space is kept, with a warning).
  await press(stdin, KEY.shiftTab, KEY.shiftTab, KEY.shiftTab);
  await waitText(frame, '> Bind DN: ');
  await type(stdin, 'cn=admin,dc=example,dc=org');
  await tab();
  await type(stdin, 'secret ');
  f = await waitText(frame, 'ends with a space: kept, Dex uses it as part of the value');
  assert.doesNotMatch(f, /secret /, 'the bind password stays masked');
  await tab(2); // usernamePrompt, then userSearch.baseDN
  await waitText(frame, '>   Base DN *: ');
  await type(stdin, 'ou=people,dc=example,dc=org ');
  await tab(2);
  await type(stdin, 'uid');
  await tab();
  await waitText(frame, '>   Scope: < unset (default sub) >');
  await press(stdin, RIGHT);
  await waitText(frame, '>   Scope: < sub >');
  await tab();
  await type(stdin, 'uid');
  await tab();
  await type(stdin, 'mail');
  await tab();
  await type(stdin, 'cn');
  await tab(3); // preferredUsernameAttr, emailSuffix, groupSearch.baseDN
  f = await waitText(frame, 'Group search');
  assert.doesNotMatch(f, /Group search \*/, 'groupSearch is optional');
  await type(stdin, 'ou=groups,dc=example,dc=org');
  await tab(3); // filter, scope, userMatchers
  await waitText(frame, '>   User matchers: no items');
  await press(stdin, CTRL_N);
  await waitText(frame, 'User matchers #1');
  await type(stdin, 'DN');
  await tab();
  await type(stdin, 'member');
  await tab(5); // recursionGroupAttr, 3 deprecated flat attributes, nameAttr
  await waitText(frame, '>   Name attribute: ');
  await type(stdin, 'cn');
  await press(stdin, KEY.enter);
  await waitText(frame, 'unsaved changes (1)');
  assert.deepEqual(writes(calls), []);

  await press(stdin, 'w');
  await waitText(frame, 'Save dex-config');
  await press(stdin, KEY.tab, KEY.enter);
  await waitText(frame, 'Restart Dex now?');
  const saved = DexConfigDocument.parse((await store.getDexConfig()).data['config.yaml']!);
  assert.deepEqual(saved.connector('corp2'), {
    type: 'ldap',
    id: 'corp2',
    name: 'Corp 2',
    index: saved.connectors().length - 1,
    config: {
      host: 'ldap2.example.com:636',
      insecureNoSSL: true,
      bindDN: 'cn=admin,dc=example,dc=org',
      bindPW: 'secret ',
      userSearch: {
        baseDN: 'ou=people,dc=example,dc=org',
        username: 'uid',
        scope: 'sub',
        idAttr: 'uid',
        emailAttr: 'mail',
        nameAttr: 'cn',
      },
      groupSearch: {
        baseDN: 'ou=groups,dc=example,dc=org',
        userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }],
        nameAttr: 'cn',
      },
    },
  });
  await waitFor(frame, (x) => x.includes('Restart Dex now?'), 'still asking about the restart');
});

test('editing keeps what the form does not show: unknown keys inside userSearch and a matcher', () => {
  const schema = schemaFor('ldap')!;
  const existing = {
    type: 'ldap',
    id: 'corp',
    name: 'Corp',
    index: 0,
    config: {
      host: 'ldap.example.com:636',
      userSearch: { baseDN: 'ou=p', username: 'uid', idAttr: 'uid', emailAttr: 'mail', futureKey: 7 },
      groupSearch: {
        baseDN: 'ou=g',
        nameAttr: 'cn',
        userMatchers: [
          { userAttr: 'uid', groupAttr: 'memberUid', extra: 'a' },
          { userAttr: 'DN', groupAttr: 'member', extra: 'b' },
        ],
      },
      unknownTop: true,
    },
  };
  const start = initialForm(schema, existing);
  assert.deepEqual(start.items, { 'groupSearch.userMatchers': [0, 1] });
  assert.equal(start.texts['userSearch.username'], 'uid');
  assert.equal(start.texts['groupSearch.userMatchers.1.groupAttr'], 'member');
  const fields = formFields(schema, true, start.items);
  assert.deepEqual(formEdits('ldap', fields, start.texts, existing, start.items), [], 'untouched: no edit');

  // Change the username attribute and drop the first matcher.
  const removed = removeItem(start.items, start.texts, 'groupSearch.userMatchers', 0);
  assert.deepEqual(removed.items, { 'groupSearch.userMatchers': [1] });
  assert.equal(removed.texts['groupSearch.userMatchers.0.groupAttr'], 'member');
  const texts = { ...removed.texts, 'userSearch.username': ' mail ' };
  const edits = formEdits('ldap', formFields(schema, true, removed.items), texts, existing, removed.items);
  assert.deepEqual(edits, [
    {
      op: 'connector.set',
      id: 'corp',
      path: ['config', 'userSearch'],
      value: { baseDN: 'ou=p', username: 'mail', idAttr: 'uid', emailAttr: 'mail', futureKey: 7 },
    },
    {
      op: 'connector.set',
      id: 'corp',
      path: ['config', 'groupSearch'],
      value: {
        baseDN: 'ou=g',
        nameAttr: 'cn',
        userMatchers: [{ userAttr: 'DN', groupAttr: 'member', extra: 'b' }],
      },
    },
  ]);
});
