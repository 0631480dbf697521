// The domain workspace: what both faces show and check, derived from one snapshot and the staged
// edits: the documents as a save would write them, every problem of every object, the users and
// roles, and which keys a save would change. Pure; the TUI memoises it per state, and each command
// derives it once, so the UI and `validate` cannot disagree about the same input.
import { applyDexEdits, DexConfigDocument, DexConfigParseError, type DexEdit } from './dexConfig.js';
import { validateDexConfig } from './dexValidation/index.js';
import { computeImpact, type Impact, type ImpactInput } from './impact.js';
import { sideFrom } from './impactOutcome.js';
import { validateRolesMapping } from './mappingValidation.js';
import { CONFIG_KEY, DEX_CONFIG, MAPPING_KEY } from './names.js';
import type { Login, Snapshot } from './objects.js';
import type { Problem } from './problems.js';
import { roleIdsForValidation, rolesFromConfigMaps, type EpinioRole } from './roles.js';
import {
  applyMappingEdits,
  detectSemantics,
  RolesMappingDocument,
  type MappingEdit,
  type Semantics,
} from './rolesMapping.js';
import { usersFromSecrets, type EpinioUser } from './users.js';

export interface StagedEdits {
  dex: readonly DexEdit[];
  mapping: readonly MappingEdit[];
  /** Whole documents in place of the base's (`apply -f`), before the edits; a key absent stays. */
  replace?: { config?: string; mapping?: string };
}

export const NO_EDITS: StagedEdits = { dex: [], mapping: [] };

/** A problem and the object it belongs to: `config.yaml`, `rolesMapping`, `user:<Secret>`,
 *  `role:<ConfigMap or role id>`. */
export interface SourcedProblem extends Problem {
  source: string;
}

export interface Workspace {
  baseConfig: string;
  baseMapping: string;
  /** The documents as a save would write them (the base when nothing is staged). */
  config: string;
  mapping: string;
  /** Keys whose staged text differs from the base: what a save sends. */
  changes: Record<string, string>;
  /** null when config.yaml is missing or cannot be parsed; dexParseError says why. */
  dexDoc: DexConfigDocument | null;
  dexParseError?: string;
  mappingDoc: RolesMappingDocument;
  /** Problems of config.yaml: its parse error when it has one, else every rule's finding. */
  dexProblems: Problem[];
  /** Problems of rolesMapping: its fatal shapes when it has any, else every rule's finding. */
  mappingProblems: Problem[];
  semantics: Semantics;
  roles: EpinioRole[];
  knownRoles: string[];
  /** The role Epinio gives a user that no mapping matches, when a role ConfigMap says so. */
  defaultRole?: string;
  users: EpinioUser[];
  /** Every problem of every object: config.yaml, the roles, rolesMapping, then the users. */
  problems: SourcedProblem[];
  /** Staged edits that no longer apply (after a rebase): shown, never silently dropped. */
  applyError?: string;
  /** Saved state vs draft: who changes roles at the next request, and the lockout guard. */
  impact: Impact;
  /** What `impact` was computed from: for explainUser and for drafts of the user Secrets. */
  impactInput: ImpactInput;
}

export interface WorkspaceOptions {
  /** Recorded logins (Store.listLogins), when read; without them only Dex local users are known. */
  logins?: readonly Login[];
}

function parseConfig(text: string | undefined): { doc: DexConfigDocument | null; error?: Problem } {
  // One rule for both faces: a missing key and an unparseable text are each one error about
  // config.yaml, and nothing is guessed from a document that Dex cannot read either.
  if (text === undefined) {
    return {
      doc: null,
      error: {
        severity: 'error',
        code: 'dex.missing',
        message: `Secret "${DEX_CONFIG}" has no key ${CONFIG_KEY}, so Dex cannot start`,
        path: CONFIG_KEY,
      },
    };
  }
  try {
    return { doc: DexConfigDocument.parse(text) };
  } catch (err) {
    if (!(err instanceof DexConfigParseError)) throw err;
    // The parser's message already names the line and the consequence.
    return {
      doc: null,
      error: { severity: 'error', code: err.code, message: err.message, path: CONFIG_KEY },
    };
  }
}

export function deriveWorkspace(
  snapshot: Snapshot,
  edits: StagedEdits = NO_EDITS,
  options: WorkspaceOptions = {},
): Workspace {
  const rawConfig = snapshot.dexConfig.data[CONFIG_KEY];
  const baseConfig = rawConfig ?? '';
  const baseMapping = snapshot.dexConfig.data[MAPPING_KEY] ?? '';
  let config = baseConfig;
  let mapping = baseMapping;
  let applyError: string | undefined;
  // Nothing staged (every load): no extra parse of either document on the way to the first frame.
  if (edits.replace?.config !== undefined) config = edits.replace.config;
  if (edits.replace?.mapping !== undefined) mapping = edits.replace.mapping;
  try {
    if (edits.dex.length) config = applyDexEdits(config, edits.dex);
  } catch (err) {
    applyError = `staged config.yaml edits no longer apply: ${(err as Error).message}`;
  }
  try {
    if (edits.mapping.length) mapping = applyMappingEdits(mapping, edits.mapping);
  } catch (err) {
    applyError = `staged rolesMapping edits no longer apply: ${(err as Error).message}`;
  }
  const parsed = parseConfig(rawConfig === undefined && config === '' ? undefined : config);
  const dexDoc = parsed.doc;
  const mappingDoc = RolesMappingDocument.parse(mapping);
  const roles = rolesFromConfigMaps(snapshot.roleConfigMaps, snapshot.epinioServerStartedAt);
  const knownRoles = roleIdsForValidation(roles);
  const semantics = detectSemantics(snapshot.epinioVersion, mappingDoc.format);
  const dexProblems = dexDoc
    ? validateDexConfig(dexDoc, { dexVersion: snapshot.dexVersion })
    : parsed.error
      ? [parsed.error]
      : [];
  const mappingProblems = validateRolesMapping(mappingDoc, {
    connectorIds: dexDoc ? dexDoc.connectors().map((c) => c.id) : undefined,
    enablePasswordDB: dexDoc?.enablePasswordDB ?? false,
    knownRoles,
    semantics,
    versionKnown: snapshot.epinioVersion !== undefined,
  });
  const users = usersFromSecrets(snapshot.users, knownRoles);
  const sourced = (source: string, ps: readonly Problem[]) => ps.map((p) => ({ ...p, source }));
  const problems = [
    ...sourced(CONFIG_KEY, dexProblems),
    ...roles.flatMap((r) => sourced(`role:${r.configMapName ?? r.id}`, r.problems)),
    ...sourced(MAPPING_KEY, mappingProblems),
    ...users.flatMap((u) => sourced(`user:${u.secretName}`, u.problems)),
  ];
  const changes: Record<string, string> = {};
  if (config !== baseConfig) changes[CONFIG_KEY] = config;
  if (mapping !== baseMapping) changes[MAPPING_KEY] = mapping;
  // The saved side reuses the draft's parse of a document that the edits leave alone.
  const draftSide = sideFrom(dexDoc, mappingDoc, users);
  const savedSide =
    config === baseConfig && mapping === baseMapping
      ? draftSide
      : sideFrom(
          config === baseConfig ? dexDoc : parseConfig(rawConfig).doc,
          mapping === baseMapping ? mappingDoc : RolesMappingDocument.parse(baseMapping),
          users,
        );
  const defaultRole = roles.find((r) => r.default)?.id;
  const impactInput: ImpactInput = {
    saved: savedSide,
    draft: draftSide,
    ctx: { knownRoles, defaultRole, semantics },
    logins: options.logins,
  };
  const impact = computeImpact(impactInput);
  return {
    baseConfig,
    baseMapping,
    config,
    mapping,
    changes,
    dexDoc,
    dexParseError: parsed.error?.message,
    mappingDoc,
    dexProblems,
    mappingProblems,
    semantics,
    roles,
    knownRoles,
    defaultRole,
    users,
    problems,
    applyError,
    impact,
    impactInput,
  };
}

/** Problems whose path points into connectors[index]. */
export function problemsForConnector(problems: readonly Problem[], index: number): Problem[] {
  const prefix = `connectors[${index}]`;
  return problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`));
}

/** Problems for rolesMapping[entry] (optionally one group). */
export function problemsForMapping(problems: readonly Problem[], entry: number, group?: number): Problem[] {
  const prefix = group === undefined ? `rolesMapping[${entry}]` : `rolesMapping[${entry}].groups[${group}]`;
  return problems.filter(
    (p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`),
  );
}

/** The same workspace with the recorded logins in its impact: what a face calls when the logins
 *  arrive after the snapshot, without deriving the documents and their problems again. */
export function withLogins(ws: Workspace, logins: readonly Login[] | undefined): Workspace {
  if (logins === ws.impactInput.logins) return ws;
  const impactInput = { ...ws.impactInput, logins };
  return { ...ws, impactInput, impact: computeImpact(impactInput) };
}
