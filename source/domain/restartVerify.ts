// What a restart must prove beyond "the pods are ready" (issue 13): the connectors the operator
// added or edited opened (Dex 2.45 keeps serving when one fails, logging "Failed to open
// connector"), and what a crashed pod printed, shown without its secrets or terminal escapes.
import { DexConfigDocument } from './dexConfig.js';
import { MASK, analyseSecrets, maskSecretLines } from './masking.js';
import { sanitizeForTerminal } from './sanitize.js';

/** Values shorter than this are not scrubbed: they would match everywhere (as in masking.ts). */
const MIN_SCRUB_LENGTH = 4;

function connectorsOf(text: string): Map<string, string> | undefined {
  try {
    return new Map(
      DexConfigDocument.parse(text)
        .connectors()
        .map((c) => [c.id, JSON.stringify([c.type, c.name, c.config])]),
    );
  } catch {
    return undefined;
  }
}

/** Ids of the connectors of `current` that are new or different from `previous`, in Dex order. */
export function changedConnectorIds(previous: string | undefined, current: string): string[] {
  const now = connectorsOf(current);
  if (!now) return [];
  const before = previous === undefined ? new Map<string, string>() : (connectorsOf(previous) ?? new Map());
  return [...now].filter(([id, value]) => before.get(id) !== value).map(([id]) => id);
}

/** Every secret value of the config (client secrets, bind passwords, hashes), to scrub from logs. */
export function secretValuesOf(configs: readonly (string | undefined)[]): string[] {
  const values = new Set<string>();
  for (const text of configs) {
    if (text === undefined) continue;
    for (const v of analyseSecrets(text).values) if (v.length >= MIN_SCRUB_LENGTH) values.add(v);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Untrusted pod output (a termination message, log lines) made safe to print: every secret value
 * of the config replaced by the mask wherever it appears, `secret: value` shapes masked too, and
 * terminal escapes stripped.
 */
export function maskPodText(text: string, secretValues: readonly string[]): string {
  let out = sanitizeForTerminal(text);
  if (secretValues.length) out = out.replace(new RegExp(secretValues.map(escapeRegExp).join('|'), 'g'), MASK);
  return maskSecretLines(out, { comments: false });
}

/** A Dex log line as fields: Dex logs text (`key=value`) or, with logger.format json, JSON. */
export function dexLogFields(line: string): Record<string, string> {
  if (line.startsWith('{')) {
    try {
      return Object.fromEntries(
        Object.entries(JSON.parse(line) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
    } catch {
      return {};
    }
  }
  const fields: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    try {
      fields[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    } catch {
      fields[m[1]] = m[2];
    }
  }
  return fields;
}

export interface ConnectorOutcome {
  id: string;
  /** undefined: the log does not say (cut off, or not from this start). */
  opened: boolean | undefined;
  error?: string;
}

/** From Dex's startup log: did each connector open? Dex names each one, then logs failures. */
export function connectorOutcomes(log: readonly string[], ids: readonly string[]): ConnectorOutcome[] {
  const fields = log.map(dexLogFields);
  const listening = fields.some((f) => f.msg === 'listening on');
  return ids.map((id) => {
    const failed = fields.find((f) => f.msg?.includes('Failed to open connector') && f.id === id);
    if (failed) return { id, opened: false, error: failed.err ?? failed.msg };
    const named = fields.some((f) => f.msg === 'config connector' && f.connector_id === id);
    return { id, opened: named && listening ? true : undefined };
  });
}
