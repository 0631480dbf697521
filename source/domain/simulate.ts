// "Which roles would a login with these groups get?" — the server's evaluation (epinio-formats.md
// §3.4 modern, §3.5 legacy), with the reasons spelled out for the operator.
import type { MappingEntry, Semantics } from './rolesMapping.js';
import { splitScopedRole } from './roles.js';

export interface SimulationInput {
  connectorId: string;
  groups: string[];
  semantics: Semantics;
  knownRoles: string[];
  defaultRole?: string;
}
export interface SimulationResult {
  connectorId: string;
  groups: string[];
  roles: string[];
  matched: { entry: number; group: string; roles: string[] }[];
  skipped: { role: string; reason: string }[];
  entryIndex: number | null;
  newUser: string;
  existingUser: string;
  explanation: string;
}

const LEGACY_FALLBACK = 'user';

function list(roles: readonly string[]): string {
  return roles.map((r) => `"${r}"`).join(', ');
}

export function simulate(entries: MappingEntry[], input: SimulationInput): SimulationResult {
  const found = entries.findIndex((e) => e.connectorId === input.connectorId);
  const entryIndex = found < 0 ? null : found;
  const groups = new Set(input.groups);
  const matched: SimulationResult['matched'] = [];
  const skipped: SimulationResult['skipped'] = [];
  const lines: string[] = [];
  const result = (roles: string[], newUser: string, existingUser: string): SimulationResult => {
    lines.push(`A new user is ${newUser}; an existing user ${existingUser}.`);
    return {
      connectorId: input.connectorId,
      groups: [...input.groups],
      roles,
      matched,
      skipped,
      entryIndex,
      newUser,
      existingUser,
      explanation: lines.join('\n'),
    };
  };
  const duplicates = entries.filter((e) => e.connectorId === input.connectorId).length - 1;

  if (entryIndex === null) {
    lines.push(`No rolesMapping entry has connectorId "${input.connectorId}", so no roles are mapped.`);
  } else {
    lines.push(
      `Entry ${entryIndex} (connectorId "${input.connectorId}") is used${duplicates > 0 ? `; ${duplicates} later entr${duplicates === 1 ? 'y' : 'ies'} for the same connector ${duplicates === 1 ? 'is' : 'are'} ignored` : ''}.`,
    );
  }

  if (input.semantics === 'legacy') {
    let roles: string[] = [];
    const entry = entryIndex === null ? undefined : entries[entryIndex]!;
    const group = entry?.groups.find((g) => groups.has(g.id));
    if (group) {
      const role = (group.legacyRole ?? '').trim();
      matched.push({ entry: entryIndex!, group: group.id, roles: role ? [role] : [] });
      if (role) {
        roles = [role];
        lines.push(`Group "${group.id}" is the first that matches and wins: role "${role}".`);
      } else {
        skipped.push({
          role: '',
          reason: `group "${group.id}" has no singular role: (Epinio ≤ 1.10 ignores roles:)`,
        });
        lines.push(`Group "${group.id}" matches first but has no singular role:, so it grants nothing.`);
      }
    } else {
      roles = [LEGACY_FALLBACK];
      lines.push(`No group matches, so the role is "${LEGACY_FALLBACK}".`);
    }
    const newUser = roles.length ? `created with role ${list(roles)}` : 'created with no role';
    return result(
      roles,
      newUser,
      'keeps its roles: Epinio ≤ 1.10 applies the mapping only when it creates a user',
    );
  }

  const known = new Set(input.knownRoles);
  const granted: string[] = [];
  if (entryIndex !== null) {
    entries[entryIndex]!.groups.forEach((group) => {
      if (!groups.has(group.id)) return;
      matched.push({ entry: entryIndex, group: group.id, roles: [...group.roles] });
      for (const role of group.roles) {
        const { id } = splitScopedRole(role);
        if (known.has(id)) granted.push(role);
        else
          skipped.push({
            role,
            reason: `role "${id}" is not known to the running epinio-server (skipped; a role ConfigMap created after the server started is not loaded yet)`,
          });
      }
    });
    if (matched.length === 0) lines.push('None of the groups matches a group of this entry.');
    for (const m of matched)
      lines.push(`Group "${m.group}" matches: ${m.roles.length ? list(m.roles) : 'no roles'}.`);
    for (const s of skipped) lines.push(`Skipped "${s.role}": ${s.reason}.`);
  }
  const roles = [...new Set(granted)].sort();
  const fallback = input.defaultRole
    ? `the default role "${input.defaultRole}"`
    : 'no role at all (there is no default role), so every /api/v1 route answers 403';
  const newUser = roles.length ? `created with roles ${list(roles)}` : `created with ${fallback}`;
  const existingUser = roles.length
    ? `has its roles replaced by ${list(roles)}: roles added by hand and admin:<namespace> roles from namespaces it created are lost`
    : `keeps its current roles (gets ${fallback} if it has none)`;
  lines.push(roles.length ? `Mapped roles: ${list(roles)}.` : 'No roles are mapped.');
  return result(roles, newUser, existingUser);
}
