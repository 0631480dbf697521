// The tool's revision history of `dex-config`, kept in the Secret `dex-config-history` beside it:
// the revision model, its encoding in the Secret's data, pruning to the last N and to a size the
// API server accepts, and the stamp the tool leaves on `dex-config` (revision and content hash).
// Pure: the store reads and writes the Secret with resourceVersion preconditions.
import { createHash } from 'node:crypto';
import { HISTORY_KEY, STAMP_HASH, STAMP_REVISION } from './names.js';

export type RevisionKind = 'save' | 'restore' | 'rollback' | 'reapply';

/** Who made a revision, and where that name came from. */
export interface Author {
  name: string;
  /** `server`: the API server's SelfSubjectReview; `kubeconfig`: the kubeconfig user (fallback);
   *  `local`: the file and demo stores (no identity to ask). */
  source: 'server' | 'kubeconfig' | 'local';
}

export interface Revision {
  /** Strictly increasing across the history's life; never reused after pruning. */
  number: number;
  /** RFC 3339 time of the write. */
  at: string;
  author: Author;
  kind: RevisionKind;
  /** One line: what changed (historySummary.ts). */
  summary: string;
  /** The masked diff of the write (domain/diff.ts maskedDataDiff): never a secret value. */
  diff: string[];
  /** The keys the write changed. */
  keys: string[];
  /** contentHash of `dex-config`'s data after the write. */
  contentHash: string;
  /** `dex-config`'s resourceVersion after the write. */
  resourceVersion: string;
  /** The revision a rollback restored. */
  rollbackOf?: number;
  /** `dex-config`'s Helm chart label when it was written (helmRender.ts: did Helm's marks move?). */
  chart?: string;
  /** The changed keys' unmasked values before and after the write (null: the key was absent).
   *  Absent once pruned for size: the metadata above stays. */
  values?: { before: Record<string, string | null>; after: Record<string, string | null> };
}

export interface HistoryDoc {
  version: 1;
  /** The number the next revision gets. */
  next: number;
  /** Oldest first. */
  revisions: Revision[];
}

export type NewRevision = Omit<Revision, 'number'>;

export const HISTORY_KEEP_DEFAULT = 20;
/** A Secret holds at most 1 MiB of data; the JSON is stored base64-encoded (4/3) next to metadata. */
export const HISTORY_MAX_BYTES = 700 * 1024;

export const emptyHistory = (): HistoryDoc => ({ version: 1, next: 1, revisions: [] });

export class HistoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFormatError';
  }
}

/** A revision that is not there, or cannot be rolled back: the operator's input. */
export class RevisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionError';
  }
}

/** sha256 of the data's keys and values in key order: equal data, equal hash. */
export function contentHash(data: Record<string, string>): string {
  const h = createHash('sha256');
  for (const key of Object.keys(data).sort())
    h.update(`${JSON.stringify(key)}:${JSON.stringify(data[key])}\n`);
  return `sha256:${h.digest('hex')}`;
}

/** The annotations the tool writes on `dex-config` with the data (the hash) and after recording (the revision). */
export function stampAnnotations(data: Record<string, string>, revision?: number): Record<string, string> {
  return {
    [STAMP_HASH]: contentHash(data),
    ...(revision !== undefined ? { [STAMP_REVISION]: String(revision) } : {}),
  };
}

export function encodeHistory(doc: HistoryDoc): Record<string, string> {
  return { [HISTORY_KEY]: JSON.stringify(doc) };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrMap = (v: unknown, nullable: boolean): boolean =>
  isObj(v) && Object.values(v).every((x) => typeof x === 'string' || (nullable && x === null));

function checkRevision(r: unknown, i: number): Revision {
  const bad = (what: string) => new HistoryFormatError(`revision ${i} of ${HISTORY_KEY}: ${what}`);
  if (!isObj(r)) throw bad('not an object');
  if (!Number.isSafeInteger(r.number) || (r.number as number) < 1)
    throw bad('number is not a positive integer');
  for (const k of ['at', 'summary', 'contentHash', 'resourceVersion', 'kind'] as const)
    if (typeof r[k] !== 'string') throw bad(`${k} is not a string`);
  if (!['save', 'restore', 'rollback', 'reapply'].includes(r.kind as string))
    throw bad(`unknown kind ${JSON.stringify(r.kind)}`);
  const a = r.author;
  if (
    !isObj(a) ||
    typeof a.name !== 'string' ||
    !['server', 'kubeconfig', 'local'].includes(a.source as string)
  )
    throw bad('author is not {name, source}');
  if (!Array.isArray(r.diff) || !r.diff.every((l) => typeof l === 'string'))
    throw bad('diff is not a list of lines');
  if (!Array.isArray(r.keys) || !r.keys.every((l) => typeof l === 'string'))
    throw bad('keys is not a list of names');
  if (r.values !== undefined) {
    const v = r.values;
    if (!isObj(v) || !isStrMap(v.before, true) || !isStrMap(v.after, true))
      throw bad('values is not {before, after}');
  }
  if (r.rollbackOf !== undefined && !Number.isSafeInteger(r.rollbackOf))
    throw bad('rollbackOf is not a number');
  if (r.chart !== undefined && typeof r.chart !== 'string') throw bad('chart is not a string');
  return r as unknown as Revision;
}

/** The history in a Secret's (decoded) data; an absent key is an empty history. */
export function decodeHistory(data: Record<string, string>): HistoryDoc {
  const text = data[HISTORY_KEY];
  if (text === undefined) return emptyHistory();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new HistoryFormatError(`${HISTORY_KEY} is not JSON: ${(err as Error).message}`);
  }
  if (!isObj(raw) || raw.version !== 1)
    throw new HistoryFormatError(`${HISTORY_KEY} is not a version 1 history`);
  if (!Number.isSafeInteger(raw.next) || (raw.next as number) < 1)
    throw new HistoryFormatError(`${HISTORY_KEY}: next is not a positive integer`);
  if (!Array.isArray(raw.revisions)) throw new HistoryFormatError(`${HISTORY_KEY}: revisions is not a list`);
  const revisions = raw.revisions.map(checkRevision);
  for (let i = 1; i < revisions.length; i++)
    if (revisions[i].number <= revisions[i - 1].number)
      throw new HistoryFormatError(
        `${HISTORY_KEY}: revision numbers are not increasing at ${revisions[i].number}`,
      );
  if (revisions.length && revisions[revisions.length - 1].number >= (raw.next as number))
    throw new HistoryFormatError(`${HISTORY_KEY}: next is not above the newest revision`);
  return { version: 1, next: raw.next as number, revisions };
}

/** The keep count from the history Secret's annotation: a positive integer, else the default. */
export function keepFromAnnotation(value: string | undefined): { keep: number; problem?: string } {
  if (value === undefined) return { keep: HISTORY_KEEP_DEFAULT };
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(n >= 1 && n <= 10_000))
    return {
      keep: HISTORY_KEEP_DEFAULT,
      problem: `history-keep annotation "${value}" is not a number from 1 to 10000; keeping the last ${HISTORY_KEEP_DEFAULT}`,
    };
  return { keep: n };
}

export interface Pruned {
  /** Revisions dropped entirely (beyond the keep count, or for size once no values were left to drop). */
  dropped: number[];
  /** Revisions whose full values were dropped for size (their metadata stays). */
  valuesDropped: number[];
}

const encoder = new TextEncoder();
const size = (doc: HistoryDoc) => encoder.encode(JSON.stringify(doc)).length;

/** Keeps the last `keep` revisions, then drops the oldest full values, then the oldest revisions, until it fits. */
export function prune(
  doc: HistoryDoc,
  keep: number,
  maxBytes = HISTORY_MAX_BYTES,
): { doc: HistoryDoc; pruned: Pruned } {
  const pruned: Pruned = { dropped: [], valuesDropped: [] };
  const revisions = [...doc.revisions];
  while (revisions.length > keep) pruned.dropped.push(revisions.shift()!.number);
  const out = { ...doc, revisions };
  for (let i = 0; size(out) > maxBytes && i < revisions.length; i++) {
    if (!revisions[i].values) continue;
    const { values: _dropped, ...meta } = revisions[i];
    revisions[i] = meta;
    pruned.valuesDropped.push(meta.number);
  }
  // Metadata alone too big (a huge masked diff): the oldest revisions go, the newest stays.
  while (size(out) > maxBytes && revisions.length > 1) pruned.dropped.push(revisions.shift()!.number);
  if (size(out) > maxBytes && revisions.length === 1) {
    revisions[0] = { ...revisions[0], diff: ['(diff too large to keep)'] };
  }
  return { doc: out, pruned };
}

/** The history with one more revision (numbered `next`), pruned. */
export function appendRevision(
  doc: HistoryDoc,
  revision: NewRevision,
  keep: number,
  maxBytes = HISTORY_MAX_BYTES,
): { doc: HistoryDoc; number: number; pruned: Pruned } {
  const number = doc.next;
  const grown: HistoryDoc = {
    version: 1,
    next: number + 1,
    revisions: [...doc.revisions, { number, ...revision }],
  };
  const { doc: out, pruned } = prune(grown, keep, maxBytes);
  return { doc: out, number, pruned };
}

/** What pruning did, in words for the operator, or undefined when only the keep count dropped revisions. */
export function describePruned(p: Pruned): string | undefined {
  if (!p.valuesDropped.length) return undefined;
  return `the history Secret is near its size limit: the full values of revision${p.valuesDropped.length === 1 ? '' : 's'} ${p.valuesDropped.join(', ')} were dropped (their author, time, summary and masked diff stay; they can no longer be rolled back)`;
}

/** The changed keys' values before and after a write (null: absent). */
export function changedValues(
  before: Record<string, string>,
  after: Record<string, string>,
): { keys: string[]; before: Record<string, string | null>; after: Record<string, string | null> } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => before[k] !== after[k])
    .sort();
  const pick = (d: Record<string, string>) => Object.fromEntries(keys.map((k) => [k, d[k] ?? null]));
  return { keys, before: pick(before), after: pick(after) };
}

/**
 * What `history rollback N` writes: the keys revision N changed, as they were just before it (null:
 * the key did not exist). Later changes to those keys are undone with it (the preview shows them);
 * keys revision N did not touch stay as they are now.
 */
export function rollbackChanges(
  doc: HistoryDoc,
  n: number,
): { revision: Revision; changes: Record<string, string | null> } {
  const revision = doc.revisions.find((r) => r.number === n);
  if (!revision) {
    const range = doc.revisions.length
      ? `it holds revisions ${doc.revisions[0].number} to ${doc.revisions[doc.revisions.length - 1].number}`
      : 'it is empty';
    throw new RevisionError(`revision ${n} is not in the history (${range})`);
  }
  if (!revision.values)
    throw new RevisionError(
      `revision ${n} cannot be rolled back: its full values were dropped to keep the history Secret under its size limit`,
    );
  return { revision, changes: { ...revision.values.before } };
}
