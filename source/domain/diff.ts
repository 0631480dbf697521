// Diffs for the save preview. config.yaml holds client secrets, bind passwords and password
// hashes: they are masked on both sides before diffing, and a secret that changed still shows
// as a changed line ("clientSecret: ***" → "clientSecret: *** (changed)") without its value.
import { createTwoFilesPatch } from 'diff';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { CONFIG_KEY, MAPPING_KEY } from './names.js';

export const MASK = '***';
export const CHANGED_MASK = '*** (changed)';
const CONNECTOR_SECRET_KEYS = new Set(['clientsecret', 'bindpw', 'keystonepassword', 'password']);
/** Values shorter than this are not scrubbed from the rest of the text: they would match everywhere. */
const MIN_SCRUB_LENGTH = 4;

interface SecretSpot {
  /** Stable identity across versions: connector id, static email, client id. */
  key: string;
  value: string;
  start: number;
  end: number;
}

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

function valueText(node: unknown, text: string): string {
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value);
  const range = (node as Node | null)?.range;
  return range ? text.slice(range[0], range[1]) : '';
}

function spotFor(pair: Pair, key: string, text: string): SecretSpot | undefined {
  const node = pair.value as Node | null;
  if (!node?.range) return undefined;
  const value = valueText(node, text);
  if (value === '') return undefined;
  return { key, value, start: node.range[0], end: node.range[1] };
}

function idOf(map: unknown, field: string, fallback: string): string {
  if (!isMap(map)) return fallback;
  const v = map.get(field);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
}

function collectConnectorSecrets(node: unknown, prefix: string, text: string, out: SecretSpot[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair as Pair);
      if (CONNECTOR_SECRET_KEYS.has(name.toLowerCase())) {
        const spot = spotFor(pair as Pair, `${prefix}.${name}`, text);
        if (spot) out.push(spot);
      } else collectConnectorSecrets(pair.value, `${prefix}.${name}`, text, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectConnectorSecrets(item, `${prefix}[${i}]`, text, out));
  }
}

function secretSpots(doc: Document, text: string): SecretSpot[] {
  const out: SecretSpot[] = [];
  const root = doc.contents;
  if (!isMap(root)) return out;
  const list = (key: string) => {
    const v = root.get(key, true);
    return isSeq(v) ? v.items : [];
  };
  list('connectors').forEach((c, i) => {
    if (!isMap(c)) return;
    const id = idOf(c, 'id', `#${i}`);
    collectConnectorSecrets(c.get('config', true), `connectors[${id}].config`, text, out);
  });
  const inEntries = (section: string, idField: string, secretKey: string) =>
    list(section).forEach((e, i) => {
      if (!isMap(e)) return;
      const id = idOf(e, idField, `#${i}`).toLowerCase();
      for (const pair of e.items) {
        if (keyName(pair as Pair) !== secretKey) continue;
        const spot = spotFor(pair as Pair, `${section}[${id}].${secretKey}`, text);
        if (spot) out.push(spot);
      }
    });
  inEntries('staticPasswords', 'email', 'hash');
  inEntries('staticClients', 'id', 'secret');
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks secret values, then scrubs any other occurrence of them (a comment, a copy elsewhere). */
function maskWith(
  text: string,
  spots: SecretSpot[],
  replacement: (spot: SecretSpot) => string,
  scrub: string[],
): string {
  let out = text;
  for (const spot of [...spots].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, spot.start) + replacement(spot) + out.slice(spot.end);
  }
  const values = [...new Set(scrub)]
    .filter((v) => v.length >= MIN_SCRUB_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (values.length) out = out.replace(new RegExp(values.map(escapeRegExp).join('|'), 'g'), MASK);
  return out;
}

// A config that does not parse still must not leak: mask `key: value` lines by key name.
const LINE_SECRET =
  /^(\s*(?:-\s+)?["']?(?:clientSecret|bindPW|keystonePassword|password|hash|secret)["']?\s*:[ \t]*)(\S.*)$/gim;

function analyse(text: string): { spots: SecretSpot[]; parsed: boolean } {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length) return { spots: [], parsed: false };
  return { spots: secretSpots(doc, text), parsed: true };
}

export function maskDexConfigText(text: string): string {
  const { spots, parsed } = analyse(text);
  if (!parsed) return text.replace(LINE_SECRET, `$1${MASK}`);
  return maskWith(
    text,
    spots,
    () => MASK,
    spots.map((s) => s.value),
  );
}

export function unifiedDiff(
  before: string,
  after: string,
  options: { label: string; context?: number },
): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    `a/${options.label}`,
    `b/${options.label}`,
    before,
    after,
    undefined,
    undefined,
    {
      context: options.context ?? 3,
    },
  );
  // Drop the "Index:"/"=====" preamble; keep the ---/+++ headers and hunks.
  return patch.replace(/^(?:Index: .*\n)?=+\n/, '');
}

/** The diff of two config.yaml versions with every secret masked; changed secrets read "*** (changed)". */
export function maskedDexDiff(beforeConfig: string, afterConfig: string): string {
  const before = analyse(beforeConfig);
  const after = analyse(afterConfig);
  const scrub = [...before.spots, ...after.spots].map((s) => s.value);
  const previous = new Map(before.spots.map((s) => [s.key, s.value]));
  const maskedBefore = before.parsed
    ? maskWith(beforeConfig, before.spots, () => MASK, scrub)
    : beforeConfig.replace(LINE_SECRET, `$1${MASK}`);
  const maskedAfter = after.parsed
    ? maskWith(
        afterConfig,
        after.spots,
        (s) => (previous.has(s.key) && previous.get(s.key) !== s.value ? CHANGED_MASK : MASK),
        scrub,
      )
    : afterConfig.replace(LINE_SECRET, `$1${MASK}`);
  return unifiedDiff(maskedBefore, maskedAfter, { label: 'config.yaml' });
}

/** The masked diff of both keys of dex-config, as the save dialog and every edit command show it. */
export function stagedDiffLines(before: Record<string, string>, after: Record<string, string>): string[] {
  const lines: string[] = [];
  if ((before[CONFIG_KEY] ?? '') !== (after[CONFIG_KEY] ?? ''))
    lines.push(...maskedDexDiff(before[CONFIG_KEY] ?? '', after[CONFIG_KEY] ?? '').split('\n'));
  if ((before[MAPPING_KEY] ?? '') !== (after[MAPPING_KEY] ?? ''))
    lines.push(
      ...unifiedDiff(before[MAPPING_KEY] ?? '', after[MAPPING_KEY] ?? '', { label: MAPPING_KEY }).split('\n'),
    );
  return lines.filter((l, i, all) => !(i === all.length - 1 && l === ''));
}
