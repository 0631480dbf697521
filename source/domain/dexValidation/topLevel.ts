// Validation of config.yaml before saving (dex-connectors.md §9, epinio-formats.md §2.3).
//
// Severity: error = Dex refuses to start, drops the connector, or logins through it fail;
//           warning = Dex silently ignores something, or the setting works but is risky.
//
// | code                             | sev     | why                                                        |
// |----------------------------------|---------|------------------------------------------------------------|
// | config.issuer / config.storage   | error   | Dex refuses to start                                       |
// | config.no-connectors             | error   | no connector and no password DB: Dex refuses to start      |
// | yaml.duplicate-key               | warning | Dex silently takes the last value                          |
// | connector.unknown-type           | error   | Dex refuses to start ("unknown connector type")            |
// | connector.test-type / legacy-type| warning | test-only connector / legacy alias, works                  |
// | connector.duplicate-id           | error   | logins are routed to only one of the entries               |
// | connector.reserved-id            | error   | `local` collides with the password DB                      |
// | connector.keys-outside-config    | error   | a config key next to id: is dropped, login fails (#1840)   |
// | connector.unknown-field          | warning | silently ignored by Dex                                     |
// | connector.case-duplicate         | warning | Dex reads only one of the case variants                    |
// | connector.type                   | error   | wrong value type: Dex cannot decode the config             |
// | connector.yaml11-bool            | error   | unquoted yes/no/on/off read as boolean: decode fails       |
// | connector.required               | error   | missing Open or login field: connector or logins fail      |
// | connector.enum                   | error   | invalid enum: Open error (crowd: only logged -> warning)   |
// | connector.base64-pem             | error   | Dex cannot decode the CA: connector fails to open          |
// | connector.redirect-uri           | error   | login fails with "expected callback URL ..."               |
// | connector.rule                   | mixed   | cross-field rules; error when Dex rejects, else warning    |
// | connector.dollar                 | warning | `$` is expanded from the environment (#1051)               |
// | yaml.non-finite                  | error   | .nan/.inf anywhere: no JSON form, Dex refuses to start     |
// | connector.template               | warning | `{{` may be rendered by gomplate                           |
// | connector.main-only / since      | warning | key ignored by the target Dex version                      |
// | oauth2.password-connector        | error   | Dex refuses to start                                       |
// | static.without-passworddb        | error   | Dex refuses to start                                       |
// | static.no-hash / static.hash     | error   | Dex refuses to start ("malformed bcrypt hash")             |
// | static.cost                      | error   | outside 10-16: every login of that user fails              |
// | static.duplicate-email           | error   | Dex logs it and one of the users cannot log in             |
// | static.email / static.type       | error   | entry unusable                                             |
// | static.default-password          | warning | the chart's hash of "password": anyone can log in          |
// | static.user-id                   | warning | empty userID: users share one subject                      |
// | static.since                     | warning | groups/preferredUsername ignored before v2.45.0            |
import type { DexConfigDocument } from '../dexConfig.js';
import { isPlainObject } from '../dexYaml.js';
import type { Problem } from '../problems.js';
import { validateConnector } from './connectors.js';
import { Collector, render, walkScalars, walkStrings } from './shared.js';
import { validateStatic } from './staticPasswords.js';

const PASSWORD_TYPES = new Set(['ldap', 'keystone', 'atlassian-crowd', 'mockPassword']);

export function validateDexConfig(doc: DexConfigDocument, options: { dexVersion?: string } = {}): Problem[] {
  const out = new Collector();
  const view = doc.dexView();
  const { dexVersion } = options;
  const issuer = typeof view.issuer === 'string' && view.issuer !== '' ? view.issuer : undefined;
  if (!issuer)
    out.add(
      'error',
      'config.issuer',
      ['issuer'],
      'config.yaml has no issuer: Dex refuses to start ("no issuer specified in config file"). Set it to https://auth.<your domain>.',
    );
  if (!isPlainObject(view.storage))
    out.add(
      'error',
      'config.storage',
      ['storage'],
      'config.yaml has no storage: Dex refuses to start. Epinio uses storage: { type: kubernetes, config: { inCluster: true } }.',
    );

  for (const dup of doc.duplicateKeys()) {
    out.add(
      'warning',
      'yaml.duplicate-key',
      dup.path ? [dup.path, dup.key] : [dup.key],
      `${dup.path ? `${dup.path}.` : ''}${dup.key} is written twice${dup.line ? ` (again at line ${dup.line})` : ''}: Dex silently uses the last one. Remove one.`,
    );
  }

  // Dex turns the whole file into JSON before decoding it, and JSON has no NaN or infinity: one
  // plain .nan or .inf anywhere, even under an unknown key, stops Dex (checked with Dex's own code).
  walkScalars(view, [], (value, path) => {
    if (typeof value === 'number' && !Number.isFinite(value))
      out.add(
        'error',
        'yaml.non-finite',
        path,
        `${render(path)} is ${doc.scalarSource(path)?.source ?? String(value)}, which YAML reads as ${String(value)}: Dex converts config.yaml to JSON, which has no such number, and refuses to start. Quote it if it is text.`,
      );
  });

  const connectors = Array.isArray(view.connectors) ? view.connectors : [];
  const ids = new Map<string, number>();
  connectors.forEach((entry, i) => {
    if (!isPlainObject(entry)) return;
    const id = String(entry.id);
    const prev = ids.get(id);
    if (prev !== undefined)
      out.add(
        'error',
        'connector.duplicate-id',
        ['connectors', i, 'id'],
        `the connector id "${id}" is also used by connectors[${prev}]: logins are routed to only one of them. Give each connector its own id.`,
      );
    else ids.set(id, i);
    if (id === 'local' && view.enablePasswordDB === true) {
      out.add(
        'error',
        'connector.reserved-id',
        ['connectors', i, 'id'],
        'the connector id "local" is taken by the password database (enablePasswordDB: true): logins are routed to only one of them. Rename the connector.',
      );
    }
    validateConnector(out, doc, entry, i, issuer, dexVersion);
  });
  if (connectors.length === 0 && view.enablePasswordDB !== true) {
    out.add(
      'error',
      'config.no-connectors',
      ['connectors'],
      'config.yaml has no connectors and the password database is off: Dex refuses to start ("server: no connectors specified"). Add a connector or set enablePasswordDB: true.',
    );
  }

  const oauth2 = view.oauth2;
  const pc = isPlainObject(oauth2) ? oauth2.passwordConnector : undefined;
  if (typeof pc === 'string' && pc !== '') {
    const target = connectors.find((c) => isPlainObject(c) && String(c.id) === pc) as
      Record<string, unknown> | undefined;
    if (pc === 'local' && view.enablePasswordDB === true) {
      // the password database is a password connector
    } else if (!target) {
      out.add(
        'error',
        'oauth2.password-connector',
        ['oauth2', 'passwordConnector'],
        `oauth2.passwordConnector names "${pc}", but there is no such connector: Dex refuses to start.`,
      );
    } else if (!PASSWORD_TYPES.has(String(target.type))) {
      out.add(
        'error',
        'oauth2.password-connector',
        ['oauth2', 'passwordConnector'],
        `oauth2.passwordConnector names "${pc}", a ${String(target.type)} connector, but only ldap, keystone, atlassian-crowd or local can check passwords: Dex refuses to start.`,
      );
    }
  }

  validateStatic(out, view, dexVersion);

  walkStrings(view, [], (s, path) => {
    if (s.includes('{{'))
      out.add(
        'warning',
        'connector.template',
        path,
        `${render(path)} contains "{{": the Dex image may render config.yaml through gomplate, which would replace or reject it.`,
      );
  });
  return out.problems;
}
