// The top level of config.yaml as Dex decodes it: Go's encoding/json into Dex's Config struct.
// Keys match their field without case (`enablePasswordDb`, `Issuer:` work), a value of the wrong
// JSON type stops Dex at startup, and so do bad durations, logger settings, response types and
// static clients Dex rejects. Every rule here was checked against the real `dex serve`
// (test/integration/dex-differential.test.ts).
import { goKey, isPlainObject } from '../dexYaml.js';
import { DEX_EXITS, kindName, render, type Collector, type Path } from './shared.js';

type Kind = 'string' | 'bool' | 'stringList' | 'duration' | 'any' | { object: Fields } | { list: Fields };
type Fields = Record<string, Kind>;

const TLS = {
  tlsCert: 'string',
  tlsKey: 'string',
  tlsMinVersion: 'string',
  tlsMaxVersion: 'string',
} as const;

/** Dex's Config (cmd/dex/config.go at the checker's version), by JSON name. */
const CONFIG: Fields = {
  issuer: 'string',
  storage: { object: { type: 'string', config: 'any' } },
  web: {
    object: {
      http: 'string',
      https: 'string',
      headers: 'any',
      ...TLS,
      allowedOrigins: 'stringList',
      allowedHeaders: 'stringList',
      clientRemoteIP: { object: { header: 'string', trustedProxies: 'stringList' } },
    },
  },
  telemetry: { object: { http: 'string', enableProfiling: 'bool' } },
  oauth2: {
    object: {
      grantTypes: 'stringList',
      responseTypes: 'stringList',
      skipApprovalScreen: 'bool',
      alwaysShowLoginScreen: 'bool',
      passwordConnector: 'string',
      pkce: 'any',
    },
  },
  grpc: { object: { addr: 'string', tlsClientCA: 'string', ...TLS, reflection: 'bool' } },
  expiry: {
    object: {
      deviceRequests: 'duration',
      signingKeys: 'duration',
      idTokens: 'duration',
      authRequests: 'duration',
      refreshTokens: {
        object: {
          disableRotation: 'bool',
          reuseInterval: 'duration',
          absoluteLifetime: 'duration',
          validIfNotUsedFor: 'duration',
        },
      },
    },
  },
  logger: { object: { level: 'string', format: 'string', excludeFields: 'stringList' } },
  frontend: { object: { dir: 'string', logoURL: 'string', issuer: 'string', theme: 'string', extra: 'any' } },
  signer: 'any',
  connectors: {
    list: { type: 'any', id: 'any', name: 'any', config: 'any', grantTypes: 'any' },
  },
  enablePasswordDB: 'bool',
  staticClients: {
    list: {
      id: 'string',
      idEnv: 'string',
      secret: 'string',
      secretEnv: 'string',
      redirectURIs: 'stringList',
      postLogoutRedirectURIs: 'stringList',
      trustedPeers: 'stringList',
      public: 'bool',
      name: 'string',
      logoURL: 'string',
      allowedConnectors: 'stringList',
      refreshTokenLifetime: 'string',
    },
  },
  staticPasswords: 'any',
  sessions: 'any',
  mfa: 'any',
};

function fold(value: unknown, kind: Kind): unknown {
  if (typeof kind === 'string') return value;
  if ('list' in kind) return Array.isArray(value) ? value.map((v) => fold(v, { object: kind.list })) : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const [name, sub] of Object.entries(kind.object)) {
    const key = goKey(value, name);
    if (key === undefined) continue;
    out[name] = fold(value[key], sub);
    taken.add(key.toLowerCase());
  }
  for (const [k, v] of Object.entries(value)) if (!taken.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** config.yaml's view with every key Dex matches without case under its Go field name. */
export function foldGoKeys(view: Record<string, unknown>): Record<string, unknown> {
  return fold(view, { object: CONFIG }) as Record<string, unknown>;
}

// time.ParseDuration: "0", or one or more <number><unit> with an optional sign.
const GO_DURATION = /^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
const LOG_LEVEL = /^(debug|info|warn|error)([+-]\d+)?$/i;
const LOG_FORMATS = ['', 'text', 'json'];
const STORAGE_TYPES = ['etcd', 'kubernetes', 'memory', 'sqlite3', 'postgres', 'mysql'];
const RESPONSE_TYPES = [
  'code',
  'id_token',
  'code id_token',
  'token',
  'code token',
  'id_token token',
  'code id_token token',
];

function typeOk(kind: Kind, value: unknown): boolean {
  if (kind === 'string' || kind === 'duration') return typeof value === 'string';
  if (kind === 'bool') return typeof value === 'boolean';
  if (kind === 'stringList') return Array.isArray(value);
  if (kind === 'any') return true;
  if ('list' in kind) return Array.isArray(value);
  return isPlainObject(value);
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  duration: 'a duration in quotes, e.g. "24h"',
  bool: 'true or false (unquoted)',
  stringList: 'a list (e.g. ["a", "b"])',
};

function checkTypes(out: Collector, value: unknown, kind: Kind, path: Path): void {
  if (value === null || value === undefined || kind === 'any') return;
  if (!typeOk(kind, value)) {
    const expected = typeof kind === 'string' ? EXPECTED[kind] : 'list' in kind ? 'a list' : 'a mapping';
    out.add(
      'error',
      'config.type',
      path,
      `${render(path)} must be ${expected}, but Dex reads ${kindName(value)}: ${DEX_EXITS} (it cannot decode config.yaml).`,
    );
    return;
  }
  if (kind === 'stringList') {
    (value as unknown[]).forEach((item, i) => checkTypes(out, item, 'string', [...path, i]));
  } else if (typeof kind === 'object') {
    const fields = 'list' in kind ? kind.list : kind.object;
    const items =
      'list' in kind
        ? (value as unknown[]).map((v, i) => [v, [...path, i]] as const)
        : [[value, path] as const];
    for (const [item, at] of items) {
      if (!isPlainObject(item)) continue;
      for (const [name, sub] of Object.entries(fields)) checkTypes(out, item[name], sub, [...at, name]);
    }
  }
}

function durations(out: Collector, obj: unknown, path: Path): void {
  if (!isPlainObject(obj)) return;
  for (const [key, value] of Object.entries(obj)) {
    if (isPlainObject(value)) durations(out, value, [...path, key]);
    else if (
      typeof value === 'string' &&
      value !== '' &&
      key !== 'disableRotation' &&
      !GO_DURATION.test(value)
    )
      out.add(
        'error',
        'config.duration',
        [...path, key],
        `${render([...path, key])} is "${value}", which is not a Go duration: ${DEX_EXITS}. Write it like "24h", "90m" or "1h30m".`,
      );
  }
}

function staticClients(out: Collector, list: unknown): void {
  if (!Array.isArray(list)) return;
  list.forEach((c, i) => {
    if (!isPlainObject(c)) return;
    const at: Path = ['staticClients', i];
    const has = (k: string): boolean => typeof c[k] === 'string' && c[k] !== '';
    const who = has('id') ? `static client "${String(c.id)}"` : `staticClients[${i}]`;
    const missing = (key: string, message: string): void =>
      out.add('error', 'client.required', [...at, key], `${who} ${message}: ${DEX_EXITS}.`);
    if (!has('name')) missing('name', 'has no name (Dex requires one for every client)');
    if (!has('id') && !has('idEnv')) missing('id', 'has neither id nor idEnv');
    if (has('id') && has('idEnv')) missing('idEnv', 'sets both id and idEnv, which exclude each other');
    if (!has('secret') && !has('secretEnv') && c.public !== true)
      missing('secret', 'has no secret or secretEnv and is not public: true');
  });
}

/** Types, durations, enums and static clients of the top level (`view` folded by foldGoKeys). */
export function checkTopLevelFields(out: Collector, view: Record<string, unknown>): void {
  checkTypes(out, view, { object: CONFIG }, []);
  durations(out, view.expiry, ['expiry']);
  const enumError = (path: Path, value: string, allowed: string): void =>
    out.add(
      'error',
      'config.enum',
      path,
      `${render(path)} is "${value}", but Dex accepts only ${allowed}: ${DEX_EXITS}.`,
    );
  const storage = view.storage;
  if (isPlainObject(storage) && typeof storage.type === 'string' && !STORAGE_TYPES.includes(storage.type))
    out.add(
      'error',
      'config.storage',
      ['storage', 'type'],
      `storage.type is "${storage.type}", which is not a Dex storage (${STORAGE_TYPES.join(', ')}): ${DEX_EXITS} ("unknown storage type").`,
    );
  const logger = view.logger;
  if (isPlainObject(logger)) {
    if (typeof logger.level === 'string' && !LOG_LEVEL.test(logger.level))
      enumError(['logger', 'level'], logger.level, 'debug, info, warn or error');
    if (typeof logger.format === 'string' && !LOG_FORMATS.includes(logger.format.toLowerCase()))
      enumError(['logger', 'format'], logger.format, 'text or json');
  }
  const oauth2 = view.oauth2;
  if (isPlainObject(oauth2) && Array.isArray(oauth2.responseTypes))
    oauth2.responseTypes.forEach((t, i) => {
      if (typeof t === 'string' && !RESPONSE_TYPES.includes(t))
        enumError(['oauth2', 'responseTypes', i], t, RESPONSE_TYPES.map((r) => `"${r}"`).join(', '));
    });
  staticClients(out, view.staticClients);
}
