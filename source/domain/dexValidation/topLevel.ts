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
// | connector.duplicate-id           | error   | Dex keeps the last entry: logins via the others fail       |
// | connector.reserved-id            | error   | `local` collides with the password DB                      |
// | connector.keys-outside-config    | error   | a config key next to id: is dropped, login fails (#1840)   |
// | connector.unknown-field          | warning | silently ignored by Dex                                     |
// | connector.case-duplicate         | warning | Dex reads only one of the case variants                    |
// | connector.type                   | error   | wrong value type: Dex cannot decode it, refuses to start   |
// | connector.yaml11-bool            | error   | unquoted yes/no/on/off read as boolean: decode fails       |
// | connector.required               | error   | missing Open or login field: connector or logins fail      |
// | connector.enum                   | error   | invalid enum: Open error (crowd: only logged -> warning)   |
// | connector.base64-pem             | error   | not base64: refuses to start; not a cert: no connector     |
// | connector.redirect-uri           | error   | login fails with "expected callback URL ..."               |
// | connector.rule                   | mixed   | cross-field rules; error when Dex rejects, else warning    |
// | connector.dollar                 | mixed   | `$` is expanded (#1051); `$$` in a secret: logins fail     |
// | yaml.non-finite                  | error   | .nan/.inf anywhere: no JSON form, Dex refuses to start     |
// | yaml.control-character           | error   | a control character anywhere: Dex refuses to start         |
// | connector.template               | warning | `{{` may be rendered by gomplate                           |
// | connector.main-only / since      | warning | key ignored by the target Dex version                      |
// | oauth2.password-connector        | error   | Dex starts, every password login fails                     |
// | config.type / config.duration    | error   | top-level value Dex cannot decode: Dex refuses to start    |
// | config.enum / client.required    | error   | logger, response types, static clients: refuses to start   |
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
import { invisibleProblem } from '../invisible.js';
import type { Problem } from '../problems.js';
import { validateConnector } from './connectors.js';
import { Collector, DEX_EXITS, render, walkScalars, walkStrings } from './shared.js';
import { validateStatic } from './staticPasswords.js';
import { checkTopLevelFields, foldGoKeys } from './topLevelFields.js';
import { yamlV2ExtraLineBreak, yamlV2RefusedCharacter } from '../yamlV2.js';

const PASSWORD_TYPES = new Set(['ldap', 'keystone', 'atlassian-crowd', 'mockPassword']);

function controlCharacters(out: Collector, text: string): void {
  const lineBreak = yamlV2ExtraLineBreak(text);
  if (lineBreak)
    out.add(
      'error',
      'yaml.line-break',
      [],
      `config.yaml contains ${lineBreak.code} at line ${lineBreak.line}, which Dex's YAML reader takes for a line break (this tool's reader does not), even in a comment, so Dex reads other YAML than the tool shows (${DEX_EXITS} when that is not valid YAML). Replace it with a plain space or a newline.`,
    );
  const refused = yamlV2RefusedCharacter(text);
  if (!refused) return;
  out.add(
    'error',
    'yaml.control-character',
    [],
    `config.yaml contains the control character ${refused.code} at line ${refused.line}: Dex's YAML reader does not accept it anywhere, not even in a comment ("control characters are not allowed"): ${DEX_EXITS}. Remove it.`,
  );
}

export function validateDexConfig(doc: DexConfigDocument, options: { dexVersion?: string } = {}): Problem[] {
  const out = new Collector();
  // Dex decodes keys without case: `enablePasswordDb` is enablePasswordDB to it.
  const view = foldGoKeys(doc.dexView());
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
      `config.yaml has ${view.storage === undefined || view.storage === null ? 'no storage' : 'a storage that is not a mapping'}: ${DEX_EXITS}. Epinio uses storage: { type: kubernetes, config: { inCluster: true } }.`,
    );
  checkTopLevelFields(out, view);

  controlCharacters(out, doc.toString());

  for (const m of doc.mistaggedScalars()) {
    out.add(
      'error',
      'yaml.tag',
      [m.path],
      `${m.path} is written as ${m.tag} ${m.source}${m.line ? ` (line ${m.line})` : ''}, but ${m.source} is not of that kind: Dex's YAML reader cannot decode it ("cannot decode ... as a ${m.tag}"): ${DEX_EXITS}. Drop the tag, or quote the value if it is text.`,
    );
  }

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
        `${render(path)} is ${doc.scalarSource(path)?.source ?? String(value)}, which YAML reads as ${String(value)}: Dex converts config.yaml to JSON, which has no such number: ${DEX_EXITS}. Quote it if it is text.`,
      );
  });

  const connectors = Array.isArray(view.connectors) ? view.connectors : [];
  const ids = new Map<string, number>();
  connectors.forEach((entry, i) => {
    if (!isPlainObject(entry)) return;
    const id = String(entry.id);
    const invisible = invisibleProblem('connector id', id, render(['connectors', i, 'id']));
    if (invisible) out.problems.push(invisible);
    const prev = ids.get(id);
    if (prev !== undefined)
      out.add(
        'error',
        'connector.duplicate-id',
        ['connectors', i, 'id'],
        `the connector id "${id}" is also used by connectors[${prev}]: Dex starts, but keeps only the last entry with this id, so every login through the others fails. Give each connector its own id.`,
      );
    else ids.set(id, i);
    if (id === 'local' && view.enablePasswordDB === true) {
      out.add(
        'error',
        'connector.reserved-id',
        ['connectors', i, 'id'],
        'the connector id "local" is taken by the password database (enablePasswordDB: true): Dex starts, but only one of them gets the logins, so every login through the other fails. Rename the connector.',
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
        `oauth2.passwordConnector names "${pc}", but there is no such connector: Dex starts, but every password login fails ("Requested connector does not exist").`,
      );
    } else if (!PASSWORD_TYPES.has(String(target.type))) {
      out.add(
        'error',
        'oauth2.password-connector',
        ['oauth2', 'passwordConnector'],
        `oauth2.passwordConnector names "${pc}", a ${String(target.type)} connector, but only ldap, keystone, atlassian-crowd or local can check passwords: Dex starts, but every password login fails.`,
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
