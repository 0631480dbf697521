// The one masking rule for every place a secret can appear: connector details, the save and
// conflict diffs, backups and the debug log. A value is secret when
//   - the connector schema says so (connectorSchemas.ts `secret: true`), for a known type's known key;
//   - else its key looks like a credential (isSecretKey), for unknown connector types, unknown keys
//     and every other section of config.yaml (storage.config.password, staticClients[].secret,
//     staticPasswords[].hash, an unknown top-level section's token);
//   - or it sits in a comment that reads `key: value` with such a key (`# clientSecret: abc`).
// Masking more than needed only hides a value from view; masking less leaks it, so unknown keys are
// judged by their name, never assumed harmless.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { fieldAt } from './connectorSchemas.js';

export const MASK = '***';
export const CHANGED_MASK = '*** (changed)';

// The last word of a key (camelCase, snake_case, kebab-case and all-lowercase alike) decides:
// clientSecret, bindPW, apiToken, privateKey, keystonePassword, DB_PASSWORD, credentials. Keys that
// merely start with such a word name something else (tokenURL, passwordConnector, secretName,
// hashFromEnv), so they are not secret.
const SECRET_KEY =
  /(?:password|passwd|passphrase|passcode|pwd|pw|secret|token|credential|hash|(?:private|api|access|secret|signing|encryption|shared|master|hmac|session|client)key)s?$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** Keys masked for a type without a schema: mockPassword has a password. */
const EXTRA_SECRETS: Record<string, string[]> = { mockPassword: ['password'] };

/** A path inside a connector's `config`: the schema's flag for a known key, else the key pattern. */
export function isSecretPath(type: string, path: readonly (string | number)[]): boolean {
  const first = path[0];
  if (
    path.length === 1 &&
    typeof first === 'string' &&
    EXTRA_SECRETS[type]?.some((k) => k.toLowerCase() === first.toLowerCase())
  )
    return true;
  const field = fieldAt(type, path);
  if (field) return field.secret === true;
  const last = [...path].reverse().find((p) => typeof p === 'string');
  return typeof last === 'string' && isSecretKey(last);
}

// Top-level keys of config.yaml that only hold structure (their names match the pattern), and
// sections that Dex defines to hold no secret (expiry: durations such as idTokens, signingKeys).
const STRUCTURAL_KEYS = new Set(['staticpasswords']);
const NO_SECRET_SECTIONS = new Set(['expiry']);

/**
 * Whether the value at `path` in config.yaml is secret. `typeOf(i)` gives connector i's type, so
 * a known type's schema decides inside its `config`.
 */
export function isSecretConfigPath(
  path: readonly (string | number)[],
  typeOf: (connectorIndex: number) => string | undefined,
): boolean {
  const [top, index, section, ...rest] = path;
  if (typeof top !== 'string') return false;
  const topKey = top.toLowerCase();
  if (NO_SECRET_SECTIONS.has(topKey)) return false;
  if (topKey === 'connectors' && typeof index === 'number' && section === 'config' && rest.length) {
    return isSecretPath(typeOf(index) ?? '', rest);
  }
  const last = path[path.length - 1];
  if (path.length === 1 && STRUCTURAL_KEYS.has(topKey)) return false;
  return typeof last === 'string' && isSecretKey(last);
}

function maskValue(type: string, path: (string | number)[], value: unknown): unknown {
  if (isSecretPath(type, path)) return value === undefined || value === null || value === '' ? value : MASK;
  if (Array.isArray(value)) return value.map((v, i) => maskValue(type, [...path, i], v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(type, [...path, k], v)]));
  }
  return value;
}

/** A connector's config for display: every secret value is `***`. */
export function maskConnectorConfig(type: string, config: Record<string, unknown>): Record<string, unknown> {
  return maskValue(type, [], config) as Record<string, unknown>;
}

// ---- text: `key: value` lines (comments, unparsable YAML, log lines) ----

// A key (optionally quoted, optionally a list item) followed by `:` or `=`.
const KEY_AT = /(?:^|[\s{,"'-])["']?([A-Za-z0-9_.-]+)["']?[ \t]*[:=][ \t]*/g;
// A block scalar indicator (`|`, `>-`, ...) or nothing: the value continues on the lines below.
const BLOCK_START = /^(?:[|>][-+0-9]*)?[ \t]*(?:#.*)?$/;

/** Index of the `#` that starts a comment on a YAML line, or -1 (quotes are respected). */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === '"' || ch === "'") {
      // Only a quote that opens a scalar (after a space, `:`, `-`, `[`, `{`, `,`) starts a string.
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1]!)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

const indentOf = (s: string): number => s.length - s.trimStart().length;

/** Where the value of the first secret `key: value` on the line starts, or -1. */
function secretValueAt(text: string): number {
  KEY_AT.lastIndex = 0;
  for (let m = KEY_AT.exec(text); m; m = KEY_AT.exec(text)) {
    const key = m[1]!;
    if (isSecretKey(key) && !STRUCTURAL_KEYS.has(key.toLowerCase())) return m.index + m[0].length;
    // Step past the key only: the value may hold the next `key: value` (a flow mapping).
    KEY_AT.lastIndex = m.index + 1;
  }
  return -1;
}

/**
 * Masks `key: value` where the key is secret, to the end of its line, and the more indented lines
 * that continue it (a block scalar or a nested mapping). `comments` limits this to YAML comments
 * (a commented-out `# clientSecret: abc`); otherwise every line counts (text that does not parse,
 * a log message).
 */
export function maskSecretLines(text: string, options: { comments: boolean }): string {
  let blockIndent: number | undefined;
  return text
    .split('\n')
    .map((line) => {
      const at = options.comments ? commentStart(line) : 0;
      if (at < 0) {
        blockIndent = undefined;
        return line;
      }
      const head = options.comments ? line.slice(0, at + 1) : '';
      const body = line.slice(head.length);
      if (blockIndent !== undefined) {
        if (body.trim() !== '' && indentOf(body) > blockIndent)
          return `${head}${' '.repeat(indentOf(body))}${MASK}`;
        blockIndent = undefined;
      }
      const valueAt = secretValueAt(body);
      if (valueAt < 0) return line;
      if (BLOCK_START.test(body.slice(valueAt))) {
        blockIndent = indentOf(body);
        return line;
      }
      return `${head}${body.slice(0, valueAt)}${MASK}`;
    })
    .join('\n');
}

// ---- config.yaml text: the parsed document decides, comments by their `key: value` ----

export interface SecretSpot {
  /** Stable identity across versions: connector id, static email, client id instead of indexes. */
  key: string;
  value: string;
  start: number;
  end: number;
}

/** Values shorter than this are not scrubbed from the rest of the text: they would match everywhere. */
const MIN_SCRUB_LENGTH = 4;
/** Seq items named by a field, so "(changed)" compares the same entry when entries move. */
const ID_FIELDS: Record<string, string> = { connectors: 'id', staticpasswords: 'email', staticclients: 'id' };

const keyName = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : '');

function scalarLeaves(node: unknown, doc: Document, out: string[], depth = 0): void {
  if (depth > 64) return;
  if (isAlias(node)) return scalarLeaves(node.resolve(doc), doc, out, depth + 1);
  if (isScalar(node)) {
    if (node.value !== null && node.value !== undefined && String(node.value) !== '')
      out.push(String(node.value));
  } else if (isMap(node)) {
    for (const p of node.items) scalarLeaves((p as Pair).value, doc, out, depth + 1);
  } else if (isSeq(node)) {
    for (const item of node.items) scalarLeaves(item, doc, out, depth + 1);
  }
}

function itemName(seq: string, item: unknown, i: number): string {
  const field = ID_FIELDS[seq.toLowerCase()];
  const v = field && isMap(item) ? item.get(field) : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v).toLowerCase() : `#${i}`;
}

interface Analysis {
  spots: SecretSpot[];
  /** Every secret scalar, also those reached through an alias: scrubbed wherever else they appear. */
  values: string[];
  parsed: boolean;
}

export function analyseSecrets(text: string): Analysis {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length) return { spots: [], values: [], parsed: false };
  const spots: SecretSpot[] = [];
  const values: string[] = [];
  const root = doc.contents;
  const connectors = isMap(root) ? root.get('connectors', true) : undefined;
  const typeOf = (i: number): string | undefined => {
    const c = isSeq(connectors) ? connectors.items[i] : undefined;
    const t = isMap(c) ? c.get('type') : undefined;
    return typeof t === 'string' ? t : undefined;
  };
  const walk = (node: unknown, path: (string | number)[], name: string, depth: number): void => {
    if (depth > 200) return;
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        const key = keyName(pair);
        const at = [...path, key];
        const label = `${name}.${key}`;
        if (!isSecretConfigPath(at, typeOf)) {
          walk(pair.value, at, label, depth + 1);
          continue;
        }
        const value = pair.value as Node | null;
        if (!value?.range) continue;
        const leaves: string[] = [];
        scalarLeaves(value, doc, leaves);
        if (!leaves.length) continue;
        values.push(...leaves);
        // A block value's range ends after its line break: that stays, so the next line does too.
        const raw = text.slice(value.range[0], value.range[1]).replace(/\s+$/, '');
        spots.push({ key: label, value: raw, start: value.range[0], end: value.range[0] + raw.length });
      }
    } else if (isSeq(node)) {
      const seq = String(path[path.length - 1] ?? '');
      node.items.forEach((item, i) =>
        walk(item, [...path, i], `${name}[${itemName(path.length === 1 ? seq : '', item, i)}]`, depth + 1),
      );
    }
  };
  walk(root, [], '', 0);
  return { spots, values, parsed: true };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks the spots, scrubs their values anywhere else (a comment, a copy), then masks comments. */
export function maskSpots(
  text: string,
  spots: readonly SecretSpot[],
  replacement: (spot: SecretSpot) => string,
  scrub: readonly string[],
): string {
  let out = text;
  for (const spot of [...spots].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, spot.start) + replacement(spot) + out.slice(spot.end);
  }
  const values = [...new Set(scrub)]
    .filter((v) => v.length >= MIN_SCRUB_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (values.length) out = out.replace(new RegExp(values.map(escapeRegExp).join('|'), 'g'), MASK);
  return maskSecretLines(out, { comments: true });
}

/** config.yaml (or any YAML) with every secret masked; text that does not parse is masked by line. */
export function maskConfigText(text: string): string {
  const { spots, values, parsed } = analyseSecrets(text);
  if (!parsed) return maskSecretLines(text, { comments: false });
  return maskSpots(text, spots, () => MASK, values);
}
