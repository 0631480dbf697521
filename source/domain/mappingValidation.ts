// Checks a rolesMapping against what Epinio does with it (epinio-formats.md §3): every problem
// says what the operator wrote and what it causes at login.
import { invisibleProblem } from './invisible.js';
import { mappingLineBreakProblem } from './mappingLineBreak.js';
import type { Problem } from './problems.js';
import type { RawScalarInfo, RolesMappingDocument, Semantics } from './rolesMapping.js';
import { CONVERT_FIX } from './rolesMapping.js';

export interface MappingValidationContext {
  /** Connector ids of config.yaml; undefined when config.yaml cannot be read (then whether an
   *  entry's connector exists is unknown, and is not guessed either way). */
  connectorIds: string[] | undefined;
  enablePasswordDB: boolean;
  knownRoles: string[] | undefined;
  semantics: Semantics;
  /** False when the Epinio version could not be read: `semantics` is then a guess from the format,
   *  and what each Epinio would do is reported (default true). */
  versionKnown?: boolean;
}

const MAKE_VERSION_KNOWN =
  'Make the version known: run the tool against the cluster, where it reads the Epinio version from the image of the epinio-server Deployment.';

function names(ids: string[]): string {
  const shown = ids.slice(0, 3).map(q).join(', ');
  return ids.length > 3 ? `${shown} and ${ids.length - 3} more` : shown;
}

/** With the Epinio version unknown: what Epinio 1.11 and later, and 1.10 and earlier, make of it. */
function unknownVersion(doc: RolesMappingDocument): Problem[] {
  const legacyOnly: string[] = [];
  const withRoles: string[] = [];
  const raw = doc.rawEntries();
  doc.entries().forEach((entry, i) =>
    entry.groups.forEach((group, g) => {
      const keys = raw[i]?.groups[g]?.keys ?? [];
      if (group.legacyRole !== undefined && !keys.includes('roles')) legacyOnly.push(group.id);
      else if (keys.includes('roles')) withRoles.push(group.id);
    }),
  );
  if (!legacyOnly.length && !withRoles.length) return [];
  const outcomes: string[] = [];
  if (legacyOnly.length)
    outcomes.push(
      `with Epinio 1.10 and earlier, the legacy role: of ${names(legacyOnly)} applies; with Epinio 1.11 and later it is silently ignored and ${legacyOnly.length === 1 ? 'that group grants' : `those ${legacyOnly.length} groups grant`} nothing`,
    );
  if (withRoles.length)
    outcomes.push(
      `with Epinio 1.11 and later, the roles: lists of ${names(withRoles)} apply; Epinio 1.10 and earlier do not read roles: (only role:), so members of ${withRoles.length === 1 ? 'that group' : `those ${withRoles.length} groups`} get "user" unless another group matches`,
    );
  return [
    {
      severity: 'warning',
      code: 'mapping.version-unknown',
      path: 'rolesMapping',
      message: `The Epinio version is unknown, so it is not known which rolesMapping format Epinio reads: ${outcomes.join('; ')}. ${MAKE_VERSION_KNOWN}`,
    },
  ];
}

const ENTRY_KEYS = ['connectorId', 'groups'];
const GROUP_KEYS = ['id', 'roles', 'role'];
const MISSPELLINGS: Record<string, string> = {
  group: 'groups',
  connector: 'connectorId',
  connector_id: 'connectorId',
  connectorid: 'connectorId',
  connectorName: 'connectorId',
  name: 'id',
  groupId: 'id',
  rolse: 'roles',
};

function suggestion(key: string, known: string[]): string | undefined {
  const exact = known.find((k) => k.toLowerCase() === key.toLowerCase());
  return exact ?? (MISSPELLINGS[key] && known.includes(MISSPELLINGS[key]) ? MISSPELLINGS[key] : undefined);
}

function q(s: string): string {
  return JSON.stringify(s);
}

function yamlType(info: RawScalarInfo): string {
  if (info.text === '' || /^(~|null|Null|NULL)$/.test(info.text)) return 'an empty value';
  if (
    /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(info.text)
  )
    return 'a boolean';
  return 'a number';
}

export function validateRolesMapping(doc: RolesMappingDocument, ctx: MappingValidationContext): Problem[] {
  // Reported with fatal problems too: it may be why Epinio's reading and ours differ.
  const lineBreak = mappingLineBreakProblem(doc.toString());
  const fatal = doc.fatal;
  if (fatal.length) return lineBreak ? [...fatal, lineBreak] : fatal;
  const problems: Problem[] = lineBreak ? [lineBreak] : [];
  const add = (severity: Problem['severity'], code: string, path: string, message: string, fix?: string) =>
    problems.push({ severity, code, path, message, ...(fix ? { fix } : {}) });
  const entries = doc.entries();
  const raw = doc.rawEntries();
  const firstEntryFor = new Map<string, number>();
  const known = ctx.knownRoles ? new Set(ctx.knownRoles) : undefined;
  if (ctx.versionKnown === false) problems.push(...unknownVersion(doc));

  // yaml.v2, which Epinio uses, decodes a key given twice into a struct without an error: the last
  // one wins (checked with the Go reference checker), so the first is dropped silently.
  const duplicateKeys = (keys: readonly string[], path: string) => {
    for (const key of new Set(keys.filter((k, n) => keys.indexOf(k) !== n)))
      add(
        'warning',
        'mapping.duplicate-key',
        `${path}.${key}`,
        `${path} has the key ${q(key)} ${keys.filter((k) => k === key).length} times: Epinio reads only the last one and silently ignores the others; keep one.`,
      );
  };

  entries.forEach((entry, i) => {
    const path = `rolesMapping[${i}]`;
    const rawEntry = raw[i]!;
    duplicateKeys(rawEntry.keys, path);
    for (const key of rawEntry.keys) {
      if (ENTRY_KEYS.includes(key)) continue;
      const meant = suggestion(key, ENTRY_KEYS);
      if (meant) {
        add(
          'error',
          'mapping.misspelled-key',
          `${path}.${key}`,
          `${path} has key ${q(key)}, which Epinio silently ignores (the key is ${q(meant)}, exact case): ${meant === 'connectorId' ? 'this entry never matches any login' : 'its groups are never evaluated'}.`,
        );
      } else {
        add(
          'warning',
          'mapping.unknown-key',
          `${path}.${key}`,
          `${path} has key ${q(key)}, which Epinio ignores (an entry has only connectorId and groups).`,
        );
      }
    }
    if (rawEntry.connectorId?.notString && rawEntry.connectorId.text !== '') {
      add(
        'warning',
        'mapping.not-string',
        `${path}.connectorId`,
        `connectorId ${rawEntry.connectorId.text} is ${yamlType(rawEntry.connectorId)} in YAML 1.1; Epinio reads its text, but quote it (${q(rawEntry.connectorId.text)}) so every tool agrees.`,
      );
    }
    const cid = entry.connectorId;
    const invisibleId = invisibleProblem('connector id', cid, `${path}.connectorId`);
    if (invisibleId) problems.push(invisibleId);
    if (cid === '') {
      add(
        'error',
        'mapping.missing-connector',
        `${path}.connectorId`,
        `${path} has no connectorId: it never matches any login, so its groups grant nothing.`,
      );
    } else if (ctx.connectorIds === undefined) {
      // config.yaml is unreadable: its own error is reported; nothing to compare the id with.
    } else if (cid === 'local') {
      if (!ctx.enablePasswordDB && !ctx.connectorIds.includes('local')) {
        add(
          'warning',
          'mapping.local-without-passworddb',
          `${path}.connectorId`,
          `${path} maps connector "local", but enablePasswordDB is off in config.yaml: no login comes through it, so this entry never matches.`,
        );
      }
    } else if (!ctx.connectorIds.includes(cid)) {
      const ids = [...ctx.connectorIds, ...(ctx.enablePasswordDB ? ['local'] : [])];
      add(
        'warning',
        'mapping.unknown-connector',
        `${path}.connectorId`,
        `connectorId ${q(cid)} names no connector in config.yaml (ids: ${ids.length ? ids.join(', ') : 'none'}): this entry never matches. Use the connector's id, not its type or name.`,
      );
    }
    if (cid !== '') {
      const first = firstEntryFor.get(cid);
      if (first !== undefined) {
        add(
          'warning',
          'mapping.duplicate-connector',
          `${path}.connectorId`,
          `connector ${q(cid)} already has entry ${first}: Epinio uses only the first entry for a connector, so the groups of entry ${i} are never evaluated; merge them into entry ${first}.`,
        );
      } else firstEntryFor.set(cid, i);
    }

    const seenGroups = new Map<string, number>();
    entry.groups.forEach((group, g) => {
      const gpath = `${path}.groups[${g}]`;
      const rawGroup = rawEntry.groups[g]!;
      duplicateKeys(rawGroup.keys, gpath);
      const invisibleGroup = invisibleProblem('group id', group.id, `${gpath}.id`);
      if (invisibleGroup) problems.push(invisibleGroup);
      for (const key of rawGroup.keys) {
        if (GROUP_KEYS.includes(key)) continue;
        const meant = suggestion(key, GROUP_KEYS);
        if (meant) {
          add(
            'error',
            'mapping.misspelled-key',
            `${gpath}.${key}`,
            `${gpath} has key ${q(key)}, which Epinio silently ignores (the key is ${q(meant)}, exact case): ${meant === 'id' ? 'this group never matches' : 'this group grants nothing'}.`,
          );
        } else {
          add(
            'warning',
            'mapping.unknown-key',
            `${gpath}.${key}`,
            `${gpath} has key ${q(key)}, which Epinio ignores (a group has only id and roles).`,
          );
        }
      }
      if (group.id === '') {
        add(
          'error',
          'mapping.missing-group-id',
          `${gpath}.id`,
          `${gpath} has no id: it never matches a group, so it grants nothing.`,
        );
      } else {
        if (rawGroup.id?.notString) {
          add(
            'warning',
            'mapping.not-string',
            `${gpath}.id`,
            `group id ${group.id} is ${yamlType(rawGroup.id)} in YAML 1.1; Epinio reads its text, but quote it (${q(group.id)}) so every tool agrees.`,
          );
        }
        if (group.id !== group.id.trim()) {
          add(
            'warning',
            'mapping.group-spaces',
            `${gpath}.id`,
            `group id ${q(group.id)} has leading or trailing spaces: groups are compared exactly, so it matches only a group named with those spaces.`,
          );
        }
        const dup = seenGroups.get(group.id);
        if (dup !== undefined) {
          add(
            'warning',
            'mapping.duplicate-group',
            `${gpath}.id`,
            ctx.semantics === 'modern'
              ? `group ${q(group.id)} appears twice in ${path} (also groups[${dup}]): both count and their roles are merged; keep one entry to avoid confusion.`
              : `group ${q(group.id)} appears twice in ${path} (also groups[${dup}]): the first match wins, so this one is never used.`,
          );
        } else seenGroups.set(group.id, g);
      }

      const hasRolesKey = rawGroup.keys.includes('roles');
      if (ctx.semantics === 'modern') {
        if (group.legacyRole !== undefined) {
          add(
            'error',
            'mapping.legacy-role',
            `${gpath}.role`,
            hasRolesKey
              ? `${gpath} has the legacy singular role: ${q(group.legacyRole)}, which Epinio ≥ 1.11 ignores: only its roles list counts. Convert it into the list.`
              : `${gpath} has the legacy singular role: ${q(group.legacyRole)}, which Epinio ≥ 1.11 silently ignores: this group grants nothing! Convert it to roles: [${q(group.legacyRole)}].`,
            CONVERT_FIX,
          );
        }
        if (group.roles.length === 0 && group.legacyRole === undefined) {
          add(
            'warning',
            'mapping.empty-roles',
            `${gpath}.roles`,
            `${gpath} has no roles: a member of ${q(group.id)} gets nothing from it.`,
          );
        }
      } else {
        if (hasRolesKey) {
          add(
            'error',
            'mapping.roles-on-legacy',
            `${gpath}.roles`,
            `${gpath} uses roles:, which Epinio ≤ 1.10 does not read: it evaluates only the singular role:, so members get "user" unless another group matches.`,
          );
        }
        if (group.legacyRole !== undefined && group.legacyRole.trim() === '') {
          add(
            'warning',
            'mapping.empty-roles',
            `${gpath}.role`,
            `${gpath} has an empty role: a member of ${q(group.id)} gets no role from it.`,
          );
        }
      }

      const checkRole = (role: string, rpath: string, info: RawScalarInfo | undefined) => {
        const invisibleRole = invisibleProblem('role id', role, rpath);
        if (invisibleRole) problems.push(invisibleRole);
        if (info?.notString && role !== '') {
          add(
            'warning',
            'mapping.not-string',
            rpath,
            `role ${role} is ${yamlType(info)} in YAML 1.1; Epinio reads its text, but quote it (${q(role)}) so every tool agrees.`,
          );
        }
        if (role === '') {
          add(
            'error',
            'mapping.empty-role',
            rpath,
            `${rpath} is empty: it grants nothing; remove it or name a role.`,
          );
          return;
        }
        if (/\s/.test(role)) {
          add(
            'error',
            'mapping.role-spaces',
            rpath,
            `role ${q(role)} contains spaces: no role id has spaces, so Epinio skips it and grants nothing through it; write ${q(role.replace(/\s+/g, ''))}.`,
          );
          return;
        }
        const id = role.split(':')[0]!;
        if (known && !known.has(id)) {
          add(
            'warning',
            'mapping.unknown-role',
            rpath,
            `role ${q(id)} is not a role Epinio knows (${[...known].join(', ')}): Epinio skips it, so it grants nothing.`,
          );
        }
      };
      if (ctx.semantics === 'modern')
        group.roles.forEach((role, r) => checkRole(role, `${gpath}.roles[${r}]`, rawGroup.roles?.[r]));
      else if (group.legacyRole !== undefined && group.legacyRole.trim() !== '')
        checkRole(group.legacyRole, `${gpath}.role`, rawGroup.role);
    });
  });
  return problems;
}
