// Recording a revision after a save, shared by the stores: the revision is built from the data the
// save replaced and the data it wrote (domain/history.ts), then appended to the history with the
// history's own version as precondition, re-reading and retrying when another operator recorded
// first, so racing saves each get their own number and none is lost. A history that cannot be
// written never fails the save: the caller reports the warning, and the local backup stays.
import { maskedDataDiff } from '../domain/diff.js';
import {
  appendRevision,
  changedValues,
  contentHash,
  describePruned,
  emptyHistory,
  HISTORY_KEEP_DEFAULT,
  type Author,
  type HistoryDoc,
  type NewRevision,
  type RevisionKind,
} from '../domain/history.js';
import { summarizeChange } from '../domain/historySummary.js';
import { HELM_CHART_LABEL } from '../domain/names.js';
import { StoreError } from './errors.js';
import type { HistoryState, SaveDexConfigRequest, SaveDexConfigResult, SecretObject } from './types.js';

export interface StoredHistory {
  doc: HistoryDoc;
  /** The stored version (resourceVersion), undefined when there is no history yet. */
  version?: string;
  keep: number;
  keepProblem?: string;
}

export interface HistoryIO {
  readonly scope: HistoryState['scope'];
  read(): Promise<StoredHistory>;
  /** Writes `doc` if the stored version is still `version` (undefined: creates it); 'conflict' if not. */
  write(doc: HistoryDoc, version: string | undefined): Promise<'ok' | 'conflict'>;
  author(): Promise<Author>;
}

/** Racing operators retry; each attempt re-reads, so this bounds only a history that never settles. */
const MAX_ATTEMPTS = 100;

const PREFIX: Record<RevisionKind, (of?: number) => string> = {
  save: () => '',
  restore: () => 'backup restored: ',
  rollback: (of) => `rollback of revision ${of}: `,
  reapply: () => 're-applied after a helm upgrade: ',
};

export interface RecordInput {
  previous: SecretObject;
  written: SecretObject;
  kind: RevisionKind;
  rollbackOf?: number;
}

export function buildRevision(input: RecordInput, author: Author): NewRevision {
  const { previous, written, kind } = input;
  const values = changedValues(previous.data, written.data);
  const chart = written.labels[HELM_CHART_LABEL];
  return {
    at: new Date().toISOString(),
    author,
    kind,
    summary: PREFIX[kind](input.rollbackOf) + summarizeChange(previous.data, written.data),
    diff: maskedDataDiff(previous.data, written.data),
    keys: values.keys,
    contentHash: contentHash(written.data),
    resourceVersion: written.resourceVersion,
    ...(input.rollbackOf !== undefined ? { rollbackOf: input.rollbackOf } : {}),
    ...(chart !== undefined ? { chart } : {}),
    values: { before: values.before, after: values.after },
  };
}

export async function recordRevision(
  io: HistoryIO,
  input: RecordInput,
  maxBytes?: number,
): Promise<{ revision?: number; warning?: string }> {
  try {
    const revision = buildRevision(input, await io.author());
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await io.read();
      // The time of the attempt that wins, so times follow the numbers.
      const appended = appendRevision(
        stored.doc,
        { ...revision, at: new Date().toISOString() },
        stored.keep,
        maxBytes,
      );
      if ((await io.write(appended.doc, stored.version)) === 'ok') {
        const warnings = [stored.keepProblem, describePruned(appended.pruned)].filter(Boolean);
        return { revision: appended.number, ...(warnings.length ? { warning: warnings.join('; ') } : {}) };
      }
      // Someone recorded first: back off a little (jittered, so two racers do not collide again).
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 3)));
    }
    return { warning: `the history kept changing under ${MAX_ATTEMPTS} attempts to record this save` };
  } catch (err) {
    if (err instanceof StoreError) return { warning: err.message + (err.hint ? ` (${err.hint})` : '') };
    throw err;
  }
}

/** The history of the file and demo stores: in memory, for this run only. */
export function sessionHistory(): HistoryIO {
  let doc = emptyHistory();
  let version = 0;
  return {
    scope: 'session',
    read: async () => ({ doc, version: version ? String(version) : undefined, keep: HISTORY_KEEP_DEFAULT }),
    write: async (next, expected) => {
      if ((expected ?? '0') !== String(version)) return 'conflict';
      doc = next;
      version++;
      return 'ok';
    },
    author: async () => ({ name: process.env.USER || 'local user', source: 'local' }),
  };
}

export async function readHistoryState(io: HistoryIO): Promise<HistoryState> {
  try {
    const stored = await io.read();
    return {
      scope: io.scope,
      doc: stored.doc,
      keep: stored.keep,
      ...(stored.keepProblem ? { warning: stored.keepProblem } : {}),
    };
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    return {
      scope: io.scope,
      doc: emptyHistory(),
      keep: HISTORY_KEEP_DEFAULT,
      warning: `the history cannot be read: ${err.message}${err.hint ? ` (${err.hint})` : ''}`,
    };
  }
}

/** The save result's words when the history could not be written: the backup is the fallback. */
export function fallbackWarning(warning: string, backupId: string | undefined): string {
  return `revision not recorded in the cluster history: ${warning}; ${backupId ? `the local backup ${backupId} keeps the previous values (\`backups restore ${backupId}\`)` : 'no local backup was taken either'}`;
}

/** A save's result with the revision recorded (or the fallback warning): the stores call this after saveWithRebase. */
export async function withRevision(
  io: HistoryIO,
  request: SaveDexConfigRequest,
  replaced: SecretObject | undefined,
  result: SaveDexConfigResult,
): Promise<SaveDexConfigResult> {
  if (!replaced || result.secret === request.base) return result;
  const rec = await recordRevision(io, {
    previous: replaced,
    written: result.secret,
    kind: request.record?.kind ?? 'save',
    rollbackOf: request.record?.rollbackOf,
  });
  if (rec.revision === undefined)
    return { ...result, historyWarning: fallbackWarning(rec.warning ?? 'unknown reason', result.backupId) };
  return { ...result, revision: rec.revision, ...(rec.warning ? { historyWarning: rec.warning } : {}) };
}
