// Every name, label, annotation and key by which Epinio and Dex find their objects in Kubernetes
// (epinio-formats.md). One place, so the stores, the domain and both faces cannot drift apart.

/** The Secret that holds Dex's whole configuration and Epinio's rolesMapping. */
export const DEX_CONFIG = 'dex-config';
/** Keys of `dex-config`. */
export const CONFIG_KEY = 'config.yaml';
export const MAPPING_KEY = 'rolesMapping';

/** Label (value "true") of the Secrets that are Epinio users. */
export const USER_LABEL = 'epinio.io/api-user-credentials';
/** Annotation of a user Secret: comma-separated role ids (`id` or `id:namespace`). */
export const ROLES_ANNOTATION = 'epinio.io/roles';
/** Label (value "true") of role ConfigMaps; also the legacy single-role label of user Secrets. */
export const ROLE_LABEL = 'epinio.io/role';

/** Deployments the tool reads versions from, and restarts (Dex). */
export const EPINIO_SERVER = 'epinio-server';
export const DEX_DEPLOYMENT = 'dex';
/** Label selector of the epinio-server pods (their start time: roles created later are not loaded). */
export const EPINIO_SERVER_SELECTOR = 'app.kubernetes.io/component=epinio-server';

/** Helm's ownership marks (a `helm upgrade` re-renders objects that carry them). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const HELM_RELEASE_NAME = 'meta.helm.sh/release-name';
export const HELM_RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';

export const NOT_FOUND_DEX = `wrong namespace (-n) or Epinio was installed without Dex: the Secret "${DEX_CONFIG}" lives in the Epinio install namespace (default "epinio")`;

export const isHelmManaged = (o: { labels: Record<string, string> }): boolean =>
  o.labels[MANAGED_BY_LABEL] === 'Helm';

/** Dex's Kubernetes storage (`storage: {type: kubernetes}`): custom resources in Dex's namespace,
 *  which Dex creates itself. The plural of OfflineSessions really is `offlinesessionses`. */
export const DEX_STORAGE_GROUP = 'dex.coreos.com';
export const DEX_STORAGE_VERSION = 'v1';
export const DEX_REFRESH_TOKENS = 'refreshtokens';
export const DEX_OFFLINE_SESSIONS = 'offlinesessionses';
/** The Role rule that lets the tool read logins (README "RBAC"), one line of YAML. */
export const LOGINS_ROLE_RULE = `{apiGroups: [${DEX_STORAGE_GROUP}], resources: [${DEX_REFRESH_TOKENS}, ${DEX_OFFLINE_SESSIONS}], verbs: [get, list]}`;
/** The tool's revision history, a Secret beside `dex-config` (same namespace, same protection). */
export const DEX_CONFIG_HISTORY = 'dex-config-history';
/** Its one data key: the revisions as JSON (domain/history.ts). */
export const HISTORY_KEY = 'revisions.json';
/** Annotation on the history Secret: how many revisions to keep (default HISTORY_KEEP_DEFAULT). */
export const HISTORY_KEEP_ANNOTATION = 'epinio-dex-admin/history-keep';
/** The tool's stamp on `dex-config`: the revision it last wrote, and a hash of the data it wrote. */
export const STAMP_REVISION = 'epinio-dex-admin/revision';
export const STAMP_HASH = 'epinio-dex-admin/content-hash';
/** Helm's chart label (moves on every chart version a `helm upgrade` renders). */
export const HELM_CHART_LABEL = 'helm.sh/chart';
