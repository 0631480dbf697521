// The real Dex server (`dex serve`) for the differential and login suites: built from Go modules at
// the Dex version of test/checker (module test/stack/dex, cached under the same cache base as the
// API server), started per config on a loopback port with the config the test gives it.
//
// Started per test file (or per case), never in startStack(): suites that need no Dex pay nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { dexLogFields } from '../../source/domain/restartVerify.js';
import { cacheBase, ensureGoBinaries } from './gobuild.js';
import { acceptsConnections, exited, freePort, startOwnedServer } from './processes.js';

const MODULE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dex');

/** The Dex version, from test/stack/dex/go.mod (the same pseudo-version test/checker pins). */
export function dexVersion(): string {
  const m = /^require github\.com\/dexidp\/dex (v\S+)/m.exec(
    readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'),
  );
  if (!m) throw new Error('test/stack/dex/go.mod does not require github.com/dexidp/dex');
  return m[1];
}

/** $EDA_DEX_CACHE, default ~/.cache/epinio-dex-admin/dex/<version>. */
export function dexCacheDir(): string {
  return process.env.EDA_DEX_CACHE || join(cacheBase(), 'dex', dexVersion());
}

let binary: Promise<string> | undefined;

/** Builds `dex` once (first run only; later runs find it in the cache). */
export function ensureDex(): Promise<string> {
  binary ??= ensureGoBinaries({
    label: `Dex ${dexVersion()}`,
    moduleDir: MODULE_DIR,
    outDir: dexCacheDir(),
    // No cgo: only the sqlite3 storage needs it, and the suites use memory storage.
    targets: [{ name: 'dex', pkg: 'github.com/dexidp/dex/cmd/dex', env: { CGO_ENABLED: '0' } }],
  }).then((p) => p.dex);
  return binary;
}

/** The client every test config registers, for the password grant and browser logins. */
export const TEST_CLIENT = {
  id: 'eda-test',
  secret: 'eda-test-client-secret',
  redirectURI: 'http://127.0.0.1:5555/callback',
} as const;

export interface DexAddress {
  port: number;
  /** http://127.0.0.1:<port>/dex: what a test config's issuer should be. */
  issuer: string;
}

export async function dexAddress(): Promise<DexAddress> {
  const port = await freePort();
  return { port, issuer: `http://127.0.0.1:${port}/dex` };
}

export interface FailedConnector {
  id: string;
  error: string;
}

export interface TokenResult {
  ok: boolean;
  status: number;
  /** The OAuth error (`error` + `error_description`) when not ok. */
  error?: string;
  /** The id_token's claims when ok. */
  claims?: Record<string, unknown>;
  /** Dex issued a refresh token (asked for with offline_access): it then stored one. */
  refreshToken?: boolean;
}

export interface DexRun {
  /** `ready`: Dex listens; `exited`: it stopped before it listened (a startup refusal). */
  outcome: 'ready' | 'exited';
  exitCode: number | null;
  /** What Dex logged (stdout and stderr), at the time the outcome was known. */
  log: string;
  /** Connectors Dex logged "Failed to open connector" for (it then starts without them). */
  failedConnectors: FailedConnector[];
  /** Dex's log now (it keeps logging while it runs). */
  readLog(): string;
  /**
   * The errors Dex logged since it started, except connectors that failed to open (those are in
   * failedConnectors); waits up to a second for one, since Dex may log after it has answered.
   */
  errorsLogged(): Promise<string[]>;
  /** The resource-owner password grant through oauth2.passwordConnector, as the test client
   *  (`scope` default `openid email profile groups`; add `offline_access` for a stored refresh token). */
  passwordGrant(username: string, password: string, scope?: string): Promise<TokenResult>;
  /**
   * A login as a browser does it through a password connector (ldap, local): /auth/<id>, the login
   * form, the redirects, then the code exchanged at /token. Needs oauth2.skipApprovalScreen: true.
   */
  browserLogin(connectorId: string, username: string, password: string, scope?: string): Promise<TokenResult>;
  stop(): Promise<void>;
}

function decodeClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function failedConnectors(log: string): FailedConnector[] {
  return log
    .split('\n')
    .map(dexLogFields)
    .filter((f) => f.msg?.includes('Failed to open connector'))
    .map((f) => ({ id: f.id ?? '', error: f.err ?? '' }));
}

/** The errors Dex logged (level ERROR), as `msg: err` lines. */
export function loggedErrors(log: string): string[] {
  return log
    .split('\n')
    .map(dexLogFields)
    .filter((f) => f.level === 'ERROR')
    .map((f) => [f.msg, f.err].filter(Boolean).join(': '));
}

/** An HTML page's text, for messages. */
function pageText(html: string): string {
  return html
    .replace(/<(script|style|head)[^]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function listening(log: string): boolean {
  return log.split('\n').some((line) => {
    const f = dexLogFields(line);
    return f.msg === 'listening on' && f.server === 'http';
  });
}

/**
 * Runs `dex serve` on `config` (its issuer should be `address.issuer`) with `env` (none of this
 * process's environment leaks in but PATH and HOME) and waits until Dex listens or exits.
 */
export async function startDex(
  config: string,
  address: DexAddress,
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Dex's Kubernetes storage against the test API server (see kubernetesStorage below). */
    kubernetesStorage?: KubernetesStorage;
    /** Listen here instead of 127.0.0.1 (the restart harness: the API server proxies only to non-loopback pod IPs). */
    host?: string;
  } = {},
): Promise<DexRun> {
  const bin = await ensureDex();
  const dir = mkdtempSync(join(tmpdir(), 'eda-dex-'));
  const file = join(dir, 'config.yaml');
  if (options.kubernetesStorage) config = withKubernetesStorage(config, options.kubernetesStorage, dir);
  writeFileSync(file, config, { mode: 0o600 });
  const log = join(dir, 'dex.log');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...options.env };
  // --web-http-addr as Epinio's chart passes it: a config's own web.http never opens a non-loopback port.
  const { child, stop } = startOwnedServer(
    bin,
    ['serve', '--web-http-addr', `${options.host ?? '127.0.0.1'}:${address.port}`, file],
    dir,
    log,
    env,
  );
  const read = (): string => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let outcome: DexRun['outcome'] | undefined;
  while (!outcome) {
    if (exited(child)) {
      await child.ended;
      outcome = 'exited';
      // Dex logs "listening on" a moment before it accepts: wait for the port too.
    } else if (listening(read()) && (await acceptsConnections(address.port, options.host))) outcome = 'ready';
    else if (Date.now() > deadline) {
      await stop();
      throw new Error(`Dex neither listened nor exited within the timeout; log:\n${read()}`);
    } else await sleep(50);
  }
  const text = read();
  const token = async (form: Record<string, string>): Promise<TokenResult> => {
    const res = await fetch(`${address.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TEST_CLIENT.id}:${TEST_CLIENT.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 200 && typeof body.id_token === 'string')
      return {
        ok: true,
        status: res.status,
        claims: decodeClaims(body.id_token),
        refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '',
      };
    return {
      ok: false,
      status: res.status,
      error: [body.error, body.error_description].filter(Boolean).join(': ') || `HTTP ${res.status}`,
    };
  };
  const passwordGrant = (
    username: string,
    password: string,
    scope = 'openid email profile groups',
  ): Promise<TokenResult> => token({ grant_type: 'password', username, password, scope });
  const browserLogin = async (
    connectorId: string,
    username: string,
    password: string,
    scope = 'openid email profile groups',
  ): Promise<TokenResult> => {
    const failed = (status: number, error: string): TokenResult => ({ ok: false, status, error });
    const start = new URL(`${address.issuer}/auth/${encodeURIComponent(connectorId)}`);
    start.search = new URLSearchParams({
      client_id: TEST_CLIENT.id,
      redirect_uri: TEST_CLIENT.redirectURI,
      response_type: 'code',
      scope,
      state: 'eda-state',
    }).toString();
    let res = await fetch(start, { redirect: 'manual' });
    const form = res.headers.get('location');
    if (res.status !== 302 || !form) return failed(res.status, `GET /auth/${connectorId}: no login form`);
    res = await fetch(new URL(form, address.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: username, password }).toString(),
      redirect: 'manual',
    });
    // A refused login renders the form again (HTTP 401), with the reason.
    if (res.status === 200 || res.status === 401) {
      const page = pageText(await res.text());
      const reason = /(Invalid [^.]*\.|[^.]*[Ee]rror[^.]*\.)/.exec(page)?.[1]?.trim();
      return failed(res.status, `the login form refused it: ${reason ?? page.slice(0, 200)}`);
    }
    for (let hops = 0; hops < 5; hops++) {
      const next = res.headers.get('location');
      if (!next || res.status < 300 || res.status >= 400)
        return failed(
          res.status,
          `login stopped at HTTP ${res.status}: ${pageText(await res.text()).slice(0, 200)}`,
        );
      const url = new URL(next, address.issuer);
      if (url.href.startsWith(TEST_CLIENT.redirectURI)) {
        const code = url.searchParams.get('code');
        if (!code) return failed(res.status, `redirected back without a code: ${url.search}`);
        return token({ grant_type: 'authorization_code', code, redirect_uri: TEST_CLIENT.redirectURI });
      }
      res = await fetch(url, { redirect: 'manual' });
    }
    return failed(res.status, 'too many redirects');
  };
  if (outcome === 'exited') await stop();
  return {
    outcome,
    exitCode: child.exitCode,
    log: text,
    failedConnectors: failedConnectors(text),
    readLog: read,
    errorsLogged: async () => {
      for (let waited = 0; ; waited += 100) {
        const errors = loggedErrors(read()).filter((e) => !e.includes('Failed to open connector'));
        if (errors.length || waited >= 1000) return errors;
        await sleep(100);
      }
    },
    passwordGrant,
    browserLogin,
    stop,
  };
}

/**
 * Dex's Kubernetes storage in the test API server: the custom resources (group dex.coreos.com) in
 * `namespace`, which Dex creates itself at start. The stack has no Dex pod, so the harness plays
 * the pod's part openly: where the saved config.yaml says `inCluster: true` (what a pod uses),
 * Dex gets `kubeConfigFile` instead, a copy of `kubeconfig` whose context names `namespace` (the
 * namespace the pod would run in); nothing else in the config changes.
 */
export interface KubernetesStorage {
  kubeconfig: string;
  namespace: string;
}

export function withKubernetesStorage(config: string, storage: KubernetesStorage, dir: string): string {
  const kc = JSON.parse(readFileSync(storage.kubeconfig, 'utf8')) as {
    contexts: { context: Record<string, unknown> }[];
  };
  for (const c of kc.contexts) c.context.namespace = storage.namespace;
  const kubeConfigFile = join(dir, 'kubeconfig.json');
  writeFileSync(kubeConfigFile, JSON.stringify(kc), { mode: 0o600 });
  const doc = parseDocument(config);
  if (doc.getIn(['storage', 'type']) !== 'kubernetes')
    throw new Error(
      `kubernetesStorage: the config's storage type is ${String(doc.getIn(['storage', 'type']))}, not kubernetes`,
    );
  doc.setIn(['storage', 'config'], { kubeConfigFile });
  return doc.toString();
}
