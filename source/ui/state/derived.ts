// What the screens show, derived from the state: the staged texts (base + operation lists), the
// parsed documents, validation problems, roles and users. Pure; memoised by the app per state.
import { applyDexEdits, DexConfigDocument, type DexEdit } from '../../domain/dexConfig.js';
import {
  applyMappingEdits,
  detectSemantics,
  RolesMappingDocument,
  type MappingEdit,
  type Semantics,
} from '../../domain/rolesMapping.js';
import { validateDexConfig } from '../../domain/dexValidation/index.js';
import { validateRolesMapping } from '../../domain/mappingValidation.js';
import { rolesFromConfigMaps, roleIdsForValidation, type EpinioRole } from '../../domain/roles.js';
import { usersFromSecrets, type EpinioUser } from '../../domain/users.js';
import type { Problem } from '../../domain/problems.js';
import type { Snapshot } from '../../store/types.js';

export const CONFIG_KEY = 'config.yaml';
export const MAPPING_KEY = 'rolesMapping';

export interface Derived {
  baseConfig: string;
  baseMapping: string;
  config: string;
  mapping: string;
  /** Keys whose staged text differs from the base (what a save sends). */
  changes: Record<string, string>;
  dexDoc: DexConfigDocument | null;
  dexParseError?: string;
  mappingDoc: RolesMappingDocument;
  dexProblems: Problem[];
  mappingProblems: Problem[];
  semantics: Semantics;
  roles: EpinioRole[];
  knownRoles: string[];
  users: EpinioUser[];
  /** An operation that no longer applies (after a rebase): shown, never silently dropped. */
  applyError?: string;
}

export function deriveView(
  snapshot: Snapshot,
  dexEdits: readonly DexEdit[],
  mappingEdits: readonly MappingEdit[],
): Derived {
  const baseConfig = snapshot.dexConfig.data[CONFIG_KEY] ?? '';
  const baseMapping = snapshot.dexConfig.data[MAPPING_KEY] ?? '';
  let config = baseConfig;
  let mapping = baseMapping;
  let applyError: string | undefined;
  // Nothing staged (every load): no extra parse of either document on the way to the first frame.
  try {
    if (dexEdits.length) config = applyDexEdits(baseConfig, dexEdits);
  } catch (err) {
    applyError = `staged config.yaml edits no longer apply: ${(err as Error).message}`;
  }
  try {
    if (mappingEdits.length) mapping = applyMappingEdits(baseMapping, mappingEdits);
  } catch (err) {
    applyError = `staged rolesMapping edits no longer apply: ${(err as Error).message}`;
  }
  let dexDoc: DexConfigDocument | null = null;
  let dexParseError: string | undefined;
  try {
    dexDoc = DexConfigDocument.parse(config);
  } catch (err) {
    dexParseError = (err as Error).message;
  }
  const mappingDoc = RolesMappingDocument.parse(mapping);
  const roles = rolesFromConfigMaps(snapshot.roleConfigMaps, snapshot.epinioServerStartedAt);
  const knownRoles = roleIdsForValidation(roles);
  const semantics = detectSemantics(snapshot.epinioVersion, mappingDoc.format);
  const dexProblems = dexDoc ? validateDexConfig(dexDoc, { dexVersion: snapshot.dexVersion }) : [];
  const mappingProblems = validateRolesMapping(mappingDoc, {
    connectorIds: dexDoc ? dexDoc.connectors().map((c) => c.id) : [],
    enablePasswordDB: dexDoc?.enablePasswordDB ?? false,
    knownRoles,
    semantics,
    versionKnown: snapshot.epinioVersion !== undefined,
  });
  const changes: Record<string, string> = {};
  if (config !== baseConfig) changes[CONFIG_KEY] = config;
  if (mapping !== baseMapping) changes[MAPPING_KEY] = mapping;
  return {
    baseConfig,
    baseMapping,
    config,
    mapping,
    changes,
    dexDoc,
    dexParseError,
    mappingDoc,
    dexProblems,
    mappingProblems,
    semantics,
    roles,
    knownRoles,
    users: usersFromSecrets(snapshot.users, knownRoles),
    applyError,
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
