// `export`, `diff -f FILE` and `apply -f FILE`: dex-config as a file kept in git (desiredFile.ts),
// secrets as references (secretRefs.ts). diff answers "what would apply do" with an exit code a
// pipeline can branch on, and shows the same impact (blast radius, lockout) as `apply --dry-run`;
// apply goes through the one write flow of every edit (stage.ts).
import { readFileSync } from 'node:fs';
import { DesiredFileError, formatDesiredFile, parseDesiredFile } from '../domain/desiredFile.js';
import type { DesiredState } from '../domain/desiredFile.js';
import { maskedDataDiff } from '../domain/diff.js';
import { keepClusterComments } from '../domain/keepComments.js';
import { CONFIG_KEY, DEX_CONFIG, MAPPING_KEY } from '../domain/names.js';
import type { Problem } from '../domain/problems.js';
import { sanitizeForTerminal } from '../domain/sanitize.js';
import {
  configLineMask,
  exportConfigText,
  exportMappingText,
  mappingLineMask,
  resolveConfigRefs,
  restoreMaskedLines,
  SecretRefError,
} from '../domain/secretRefs.js';
import { deriveWorkspace, withLogins, type StagedEdits, type Workspace } from '../domain/workspace.js';
import { colorEnabled, style } from '../output/color.js';
import { toJson } from '../output/format.js';
import { StoreError } from '../store/errors.js';
import { EXIT } from './exitCodes.js';
import { CommandError, flagString, type CommandContext } from './context.js';
import { readSecrets } from './connectorValues.js';
import { impactLines, impactView } from './impactOutput.js';
import { loadWorkspace } from './load.js';
import { readLogins } from './loginsRead.js';
import { emit } from './print.js';
import { stageAndSave, type Loaded } from './stage.js';

export async function run(ctx: CommandContext): Promise<number> {
  switch (ctx.spec.path[0]) {
    case 'export':
      return exportState(ctx);
    case 'diff':
      return diffState(ctx);
    default:
      return applyState(ctx);
  }
}

async function load(ctx: CommandContext): Promise<Loaded> {
  try {
    return await loadWorkspace(ctx);
  } catch (err) {
    // A pipeline tells "cannot reach the cluster" from "drift" and "invalid" by the code alone.
    if (
      ctx.spec.path[0] === 'diff' &&
      err instanceof StoreError &&
      ['Unreachable', 'Timeout'].includes(err.kind)
    )
      throw new CommandError(err.message, EXIT.unreachable, err.hint);
    throw err;
  }
}

async function exportState(ctx: CommandContext): Promise<number> {
  const { snapshot } = await load(ctx);
  const data = snapshot.dexConfig.data;
  const state = {
    namespace: snapshot.dexConfig.namespace,
    resourceVersion: snapshot.dexConfig.resourceVersion,
    ...(data[CONFIG_KEY] !== undefined ? { config: exportConfigText(data[CONFIG_KEY]) } : {}),
    ...(data[MAPPING_KEY] !== undefined ? { mapping: exportMappingText(data[MAPPING_KEY]) } : {}),
  };
  if (state.config === undefined && state.mapping === undefined)
    throw new CommandError(
      `Secret "${DEX_CONFIG}" has neither ${CONFIG_KEY} nor ${MAPPING_KEY}: nothing to export`,
      EXIT.notFound,
    );
  const text = formatDesiredFile(state, [
    `${DEX_CONFIG} exported by epinio-dex-admin. Secret values are references "<secret:PLACE>": apply keeps`,
    "the cluster's value for each one left as it is; replace one (a value, or a $VARIABLE Dex expands) to",
    'change it. apply refuses the file once dex-config changed after this resourceVersion; remove it to',
    'apply over whatever the cluster has. A key left out of stringData is left as it is.',
  ]);
  if (ctx.options.output === 'json') {
    const { parse } = await import('yaml');
    ctx.io.stdout.write(toJson(parse(text)));
  } else ctx.io.stdout.write(text);
  return EXIT.ok;
}

/** The -f file as desired documents, refused with exit 2 and the file's own words. */
function readDesired(ctx: CommandContext): { name: string; state: DesiredState } {
  const name = flagString(ctx, 'filename');
  if (name === undefined) throw new CommandError('-f FILE is required: the desired dex-config', EXIT.usage);
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (err) {
    throw new CommandError(
      `cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; nothing was written`,
      EXIT.usage,
    );
  }
  try {
    const state = parseDesiredFile(text, name);
    if (state.namespace !== undefined && state.namespace !== ctx.options.namespace)
      throw new DesiredFileError(
        `${name} is for namespace "${state.namespace}", but this is namespace "${ctx.options.namespace}" (-n)`,
      );
    return { name, state };
  } catch (err) {
    if (err instanceof DesiredFileError)
      throw new CommandError(`${err.message}; nothing was written`, EXIT.usage);
    throw err;
  }
}

/** --secret-env/--secret-file/--secret-stdin PLACE: a reference's value (connectorValues.ts reads them). */
async function readFills(ctx: CommandContext): Promise<Map<string, string>> {
  const fills = new Map<string, string>();
  for (const { path, value } of await readSecrets(ctx)) fills.set(path.join('.'), String(value));
  return fills;
}

interface Plan {
  /** The desired documents as staged edits: what apply hands to the one write flow. */
  edits: StagedEdits;
  ws: Workspace;
  /** The file names a resourceVersion that is no longer the cluster's. */
  stale: boolean;
  added: Problem[];
}

/** The desired documents resolved against the snapshot: references, masked lines, comments. */
function plan(loaded: Loaded, state: DesiredState, name: string, fills: Map<string, string>): Plan {
  const current = loaded.snapshot.dexConfig.data;
  const texts: { config?: string; mapping?: string } = {};
  try {
    if (state.config !== undefined) {
      const now = current[CONFIG_KEY] ?? '';
      const resolved = restoreMaskedLines(
        resolveConfigRefs(state.config, now, fills),
        now,
        configLineMask(now),
      );
      texts.config = keepClusterComments(now, resolved);
    } else if (fills.size) {
      throw new SecretRefError('there is no config.yaml in the file, so no reference to fill in', [
        ...fills.keys(),
      ]);
    }
  } catch (err) {
    if (err instanceof SecretRefError)
      throw new CommandError(`${name}: ${err.message}; nothing was written`, EXIT.usage);
    throw err;
  }
  if (state.mapping !== undefined) {
    const now = current[MAPPING_KEY] ?? '';
    texts.mapping = keepClusterComments(now, restoreMaskedLines(state.mapping, now, mappingLineMask));
  }
  const edits: StagedEdits = { dex: [], mapping: [], replace: texts };
  const ws = deriveWorkspace(loaded.snapshot, edits);
  // A document that is not YAML at all is a bad file, not a state to plan (nor to --force).
  const unreadable =
    (texts.config !== undefined && ws.dexParseError) ||
    (texts.mapping !== undefined && ws.mappingDoc.fatal.find((p) => p.code === 'mapping.syntax')?.message);
  if (unreadable) throw new CommandError(`${name}: ${unreadable}; nothing was written`, EXIT.usage);
  const key = (p: Problem) => `${p.severity} ${p.code} ${p.message}`;
  const before = new Set([...loaded.ws.dexProblems, ...loaded.ws.mappingProblems].map(key));
  const added = [...ws.dexProblems, ...ws.mappingProblems].filter(
    (p) => p.severity === 'error' && !before.has(key(p)),
  );
  const stale =
    state.resourceVersion !== undefined &&
    state.resourceVersion !== loaded.snapshot.dexConfig.resourceVersion;
  return { edits, ws, stale, added };
}

const staleMessage = (name: string, state: DesiredState, now: string) =>
  `conflict: ${DEX_CONFIG} changed since ${name} was made from it (resourceVersion ${state.resourceVersion} in the file, ${now} now)`;
const STALE_HINT =
  'run `diff -f FILE` to see the current state; export again and redo the edit, or remove metadata.resourceVersion from the file to apply it over the current version';

async function diffState(ctx: CommandContext): Promise<number> {
  const { name, state } = readDesired(ctx);
  const fills = await readFills(ctx);
  const loaded = await load(ctx);
  const planned = plan(loaded, state, name, fills);
  const { stale, added } = planned;
  // The logins apply's preview reads (stage.ts): the same identities in the same impact.
  const read = await readLogins(await ctx.openStore());
  const ws = withLogins(planned.ws, read.logins);
  const { impact } = ws;
  const changed = Object.keys(ws.changes);
  const diff = maskedDataDiff(
    { [CONFIG_KEY]: ws.baseConfig, [MAPPING_KEY]: ws.baseMapping },
    { [CONFIG_KEY]: ws.config, [MAPPING_KEY]: ws.mapping },
  );
  const problems = [...ws.dexProblems, ...ws.mappingProblems];
  const now = loaded.snapshot.dexConfig.resourceVersion;
  const status = !changed.length ? 'in-sync' : stale ? 'conflict' : added.length ? 'invalid' : 'drift';
  const code = { 'in-sync': EXIT.ok, conflict: EXIT.conflict, invalid: EXIT.invalid, drift: EXIT.drift }[
    status
  ];
  const summary = {
    'in-sync': `in sync: ${name} is what ${DEX_CONFIG} holds`,
    drift: `drift: ${changed.join(' and ')} differ${changed.length === 1 ? 's' : ''}; \`apply -f ${name}\` ${impact.lockout.blocked ? 'refuses it without --allow-lockout' : `writes ${changed.length === 1 ? 'it' : 'them'}`}`,
    invalid: `invalid: ${name} would add ${added.length} error${added.length === 1 ? '' : 's'}; apply refuses it without --force${impact.lockout.blocked ? ' (and without --allow-lockout)' : ''}`,
    conflict: `${staleMessage(name, state, now)}: apply refuses it`,
  }[status];
  const shown = (p: Problem) => ({ code: p.code, message: p.message, path: p.path });
  emit(
    ctx,
    {
      file: name,
      status,
      changed,
      diff,
      errors: problems.filter((p) => p.severity === 'error').map(shown),
      warnings: problems.filter((p) => p.severity === 'warning').map(shown),
      resourceVersion: now,
      ...(state.resourceVersion !== undefined ? { fileResourceVersion: state.resourceVersion } : {}),
      impact: impactView(impact, read.note),
    },
    () =>
      [
        ...diff.map((l) => sanitizeForTerminal(l)),
        ...problems.map(
          (p) => `${p.severity === 'error' ? '✗' : '!'} ${sanitizeForTerminal(p.message)} (${p.path})`,
        ),
        ...(changed.length
          ? impactLines(impact, style(colorEnabled(ctx.io.stdout, ctx.io.env)), read.note)
          : []),
        sanitizeForTerminal(summary),
        '',
      ].join('\n'),
  );
  return code;
}

async function applyState(ctx: CommandContext): Promise<number> {
  const { name, state } = readDesired(ctx);
  const fills = await readFills(ctx);
  const loaded = await load(ctx);
  const { edits, ws, stale } = plan(loaded, state, name, fills);
  if (stale && Object.keys(ws.changes).length)
    throw new CommandError(
      `${staleMessage(name, state, loaded.snapshot.dexConfig.resourceVersion)}; nothing was written`,
      EXIT.conflict,
      STALE_HINT,
    );
  return stageAndSave(ctx, loaded, edits, `apply ${name}`);
}
