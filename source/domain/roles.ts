// Epinio roles (epinio-formats.md §6): the built-in admin plus role ConfigMaps, read the way
// epinio-server reads them once at startup.
import type { ConfigMapObject } from './objects.js';
import { invisibleProblem } from './invisible.js';
import type { Problem } from './problems.js';

export interface EpinioRole {
  id: string;
  name: string;
  default: boolean;
  source: 'builtin' | 'configmap';
  configMapName?: string;
  actions: string[];
  loaded: boolean;
  problems: Problem[];
}

/** Valid action ids of Epinio v1.14.1 (§6.3). */
export const EPINIO_ACTIONS: readonly string[] = [
  'namespace_write',
  'app',
  'app_read',
  'app_restart',
  'app_write',
  'app_create',
  'app_delete',
  'app_update',
  'app_scale',
  'app_update_env',
  'app_update_configs',
  'app_update_routes',
  'app_update_settings',
  'app_update_chart',
  'app_stage',
  'app_deploy',
  'app_export',
  'app_logs',
  'app_exec',
  'app_portforward',
  'chart',
  'chart_read',
  'chart_write',
  'builderimage',
  'builderimage_read',
  'builderimage_write',
  'configuration',
  'configuration_read',
  'configuration_write',
  'service',
  'service_read',
  'service_write',
  'service_portforward',
  'gitconfig',
  'gitconfig_read',
  'gitconfig_write',
  'export_registries_read',
  'support_bundle',
];

// Go's strconv.ParseBool.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function splitScopedRole(role: string): { id: string; namespace?: string } {
  const at = role.indexOf(':');
  return at < 0 ? { id: role } : { id: role.slice(0, at), namespace: role.slice(at + 1) };
}

function builtinAdmin(): EpinioRole {
  return {
    id: 'admin',
    name: 'Admin',
    default: false,
    source: 'builtin',
    actions: [...EPINIO_ACTIONS],
    loaded: true,
    problems: [],
  };
}

function parseActions(value: string | undefined, where: string, problems: Problem[]): string[] {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') return [];
  const actions = trimmed.split('\n');
  actions.forEach((action, i) => {
    const path = `${where}.data.actions[${i}]`;
    if (action === '') return;
    if (action !== action.trim()) {
      problems.push({
        severity: 'warning',
        code: 'role.action-spaces',
        path,
        message: `action ${JSON.stringify(action)} has leading or trailing spaces: Epinio does not trim each line, so it is unknown and skipped; remove the spaces.`,
      });
    } else if (action === 'namespace_read' || action === 'namespace') {
      problems.push({
        severity: 'warning',
        code: 'role.unknown-action',
        path,
        message: `action "${action}" no longer exists (namespace read is part of every role): it is logged and skipped, which is harmless; remove it.`,
      });
    } else if (!EPINIO_ACTIONS.includes(action)) {
      problems.push({
        severity: 'warning',
        code: 'role.unknown-action',
        path,
        message: `action "${action}" is not an Epinio action: it is logged and skipped, so the role does not grant it.`,
      });
    }
  });
  return actions.filter((a) => a !== '');
}

/** Built-in admin first, then one role per ConfigMap in list order. */
export function rolesFromConfigMaps(cms: ConfigMapObject[], serverStartedAt?: string): EpinioRole[] {
  const roles: EpinioRole[] = [builtinAdmin()];
  const started = serverStartedAt ? Date.parse(serverStartedAt) : NaN;
  const firstById = new Map<string, string>([['admin', 'the built-in admin']]);
  let defaultRole: string | undefined;
  for (const cm of cms) {
    const where = `roles.${cm.name}`;
    const problems: Problem[] = [];
    const id = cm.data.id ?? '';
    const raw = cm.data.default;
    let isDefault = false;
    if (raw !== undefined && raw !== '') {
      if (TRUE.has(raw)) isDefault = true;
      else if (!FALSE.has(raw)) {
        problems.push({
          severity: 'error',
          code: 'role.bad-default',
          path: `${where}.data.default`,
          message: `ConfigMap ${cm.name} has default ${JSON.stringify(raw)}, which is not a boolean (true/false, 1/0, t/f): this stops epinio-server from starting ("initializing authentication"); write "true" or "false".`,
        });
      }
    }
    if (id === '') {
      problems.push({
        severity: 'error',
        code: 'role.no-id',
        path: `${where}.data.id`,
        message: `ConfigMap ${cm.name} has no data.id: no user or mapping can refer to this role; add an id.`,
      });
    } else {
      const invisible = invisibleProblem('role id', id, `${where}.data.id`);
      if (invisible) problems.push(invisible);
      if (/[:,\s]/.test(id)) {
        problems.push({
          severity: 'error',
          code: 'role.bad-id',
          path: `${where}.data.id`,
          message: `role id ${JSON.stringify(id)} contains ':', ',' or spaces, which the roles annotation and rolesMapping use as delimiters: nobody can be given this role; rename it.`,
        });
      }
      const first = firstById.get(id);
      if (first) {
        problems.push(
          id === 'admin'
            ? {
                severity: 'error',
                code: 'role.shadows-admin',
                path: `${where}.data.id`,
                message: `ConfigMap ${cm.name} defines role "admin", which the built-in admin shadows: this ConfigMap is ignored; choose another id.`,
              }
            : {
                severity: 'error',
                code: 'role.duplicate-id',
                path: `${where}.data.id`,
                message: `role "${id}" is already defined by ${first}: the first definition wins and this ConfigMap is ignored; choose another id.`,
              },
        );
      } else firstById.set(id, `ConfigMap ${cm.name}`);
    }
    if (isDefault) {
      if (defaultRole !== undefined) {
        problems.push({
          severity: 'error',
          code: 'role.multiple-defaults',
          path: `${where}.data.default`,
          message: `role "${id}" is marked default, but "${defaultRole}" already is: only the first default counts; set default to "false" here.`,
        });
      } else defaultRole = id;
    }
    const created = cm.creationTimestamp ? Date.parse(cm.creationTimestamp) : NaN;
    const loaded = !(Number.isFinite(created) && Number.isFinite(started) && created > started);
    if (!loaded) {
      problems.push({
        severity: 'warning',
        code: 'role.not-loaded',
        path: where,
        message: `role "${id}" is defined but not loaded: its ConfigMap was created after epinio-server started, so mappings skip it and annotations drop it until epinio-server restarts.`,
      });
    }
    const actions = parseActions(cm.data.actions, where, problems);
    roles.push({
      id,
      name: cm.data.name ?? '',
      default: isDefault,
      source: 'configmap',
      configMapName: cm.name,
      actions,
      loaded,
      problems,
    });
  }
  return roles;
}

/** Role ids the running server accepts: loaded, first definition of each id. */
export function roleIdsForValidation(roles: EpinioRole[]): string[] {
  const ids: string[] = [];
  for (const r of roles) if (r.loaded && r.id !== '' && !ids.includes(r.id)) ids.push(r.id);
  return ids;
}

/** The id of the role new users get (the first default), if any. */
export function defaultRoleId(roles: EpinioRole[]): string | undefined {
  return roles.find((r) => r.default && r.loaded)?.id;
}
