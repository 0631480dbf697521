// The differential harness: one config.yaml, two judges. The real Dex (`dex serve`, memory storage)
// says what happens (exits at startup / starts without a connector / starts but logins fail / works);
// the tool's `validate` command says what it reports. They must agree, and each case's recorded Dex
// outcome must still be what Dex really does, so the record cannot rot.
//
// A case is a file in test/fixtures/dex-differential/: config.yaml text with a header of comments
//   # dex: ok | exits | connector-fails | login-fails     what the real Dex does (checked every run)
//   # dex-says: <text>                                     a piece of Dex's log that shows the cause
//   # tool: <problem code>                                 the tool's error for it (not for `ok`)
//   # login: password <user> <password> [groups=a,b]       a password grant via oauth2.passwordConnector
//   # login: redirect <connector id>                       the redirect to the upstream IdP is usable
//   # env: NAME=value                                      Dex's environment
// and placeholders the harness fills in before both judges see the text: @ISSUER@, @LDAP_HOST@,
// @LDAP_BIND_PW@, @OIDC_ISSUER@.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { dexAddress, startDex, TEST_CLIENT } from '../../stack/dex.js';
import { startOidcStandIn } from '../../stack/oidcStandIn.js';
import { startSlapd } from '../../stack/slapd.js';
import { run as runCli } from '../../unit/cli/harness.js';

export type DexOutcome = 'ok' | 'exits' | 'connector-fails' | 'login-fails';
export const OUTCOMES: readonly DexOutcome[] = ['ok', 'exits', 'connector-fails', 'login-fails'];

export type Login =
  | { kind: 'password'; username: string; password: string; groups?: string[] }
  | { kind: 'redirect'; connectorId: string };

export interface DifferentialCase {
  name: string;
  /** config.yaml with placeholders. */
  config: string;
  expected: { dex: DexOutcome; dexSays?: string; tool?: string };
  login?: Login;
  env: Record<string, string>;
}

export interface Services {
  ldapHost?: string;
  ldapBindPW?: string;
  oidcIssuer?: string;
}

/** What each consequence looks like in a validator message. */
export const CONSEQUENCE: Record<Exclude<DexOutcome, 'ok'>, RegExp> = {
  exits: /Dex refuses to start/,
  'connector-fails': /Dex starts without this connector/,
  'login-fails': /Dex starts, but [^.]*\blogins?\b[^.]*\bfail/,
};

function header(text: string, key: string): string[] {
  const re = new RegExp(`^# ${key}: (.*)$`, 'gm');
  return [...text.matchAll(re)].map((m) => m[1].trim());
}

export function parseCase(file: string): DifferentialCase {
  const text = readFileSync(file, 'utf8');
  const name = basename(file).replace(/\.ya?ml$/, '');
  const [dex] = header(text, 'dex');
  if (!OUTCOMES.includes(dex as DexOutcome))
    throw new Error(`${name}: "# dex:" must be one of ${OUTCOMES.join(', ')}, not "${dex}"`);
  const [tool] = header(text, 'tool');
  const [dexSays] = header(text, 'dex-says');
  if (dex !== 'ok' && !tool) throw new Error(`${name}: a non-ok case needs "# tool: <code>"`);
  const [loginLine] = header(text, 'login');
  let login: Login | undefined;
  if (loginLine) {
    const [kind, a, b, extra] = loginLine.split(/\s+/);
    if (kind === 'password' && a && b) {
      const groups = extra?.startsWith('groups=') ? extra.slice(7).split(',') : undefined;
      login = { kind, username: a, password: b, ...(groups ? { groups } : {}) };
    } else if (kind === 'redirect' && a) login = { kind, connectorId: a };
    else throw new Error(`${name}: cannot read "# login: ${loginLine}"`);
  }
  const env = Object.fromEntries(
    header(text, 'env').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  return {
    name,
    config: text,
    expected: { dex: dex as DexOutcome, ...(dexSays ? { dexSays } : {}), ...(tool ? { tool } : {}) },
    ...(login ? { login } : {}),
    env,
  };
}

function fill(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/@(ISSUER|LDAP_HOST|LDAP_BIND_PW|OIDC_ISSUER)@/g, (all, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`placeholder ${all} has no value (service not started)`);
    return v;
  });
}

export interface DexObservation {
  outcome: DexOutcome;
  /** The log lines (or the login answer) that decided the outcome. */
  evidence: string;
}

/** Starts a login at /auth/<id> and checks the redirect Dex builds towards the upstream IdP. */
async function redirectProblem(issuer: string, connectorId: string): Promise<string | undefined> {
  const q = new URLSearchParams({
    client_id: TEST_CLIENT.id,
    redirect_uri: TEST_CLIENT.redirectURI,
    response_type: 'code',
    scope: 'openid email',
    state: 'eda-state',
  });
  const res = await fetch(`${issuer}/auth/${encodeURIComponent(connectorId)}?${q}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 && res.status !== 303) {
    const body = (await res.text())
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return `GET /auth/${connectorId}: HTTP ${res.status} ${body.slice(0, 200)}`;
  }
  if (!location) return `GET /auth/${connectorId}: no Location`;
  const up = new URL(location, issuer);
  if (!up.searchParams.get('client_id'))
    return `the upstream login URL has no client_id: ${up.origin}${up.pathname}`;
  // Absent is fine (Bitbucket uses the callback registered with the consumer); a wrong one is not.
  const redirect = up.searchParams.get('redirect_uri');
  if (redirect !== null && redirect !== `${issuer}/callback`)
    return `the upstream login URL carries redirect_uri "${redirect}", not "${issuer}/callback"`;
  return undefined;
}

/** Runs the real Dex on the case and classifies what it does. */
export async function observeDex(c: DifferentialCase, services: Services): Promise<DexObservation> {
  const address = await dexAddress();
  const values = {
    ISSUER: address.issuer,
    LDAP_HOST: services.ldapHost,
    LDAP_BIND_PW: services.ldapBindPW,
    OIDC_ISSUER: services.oidcIssuer,
  };
  const config = fill(c.config, values);
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, fill(v, values)]));
  const dex = await startDex(config, address, { env });
  try {
    if (dex.outcome === 'exited') {
      const lines = dex.log.trim().split('\n');
      return { outcome: 'exits', evidence: lines.slice(-3).join('\n') };
    }
    if (dex.failedConnectors.length)
      return {
        outcome: 'connector-fails',
        evidence: dex.failedConnectors.map((f) => `Failed to open connector ${f.id}: ${f.error}`).join('\n'),
      };
    // What Dex logged about a failed login names the cause better than its HTTP answer.
    const why = async (): Promise<string> => {
      const errors = await dex.errorsLogged();
      return errors.length ? `; Dex logs: ${errors.join(' | ')}` : '';
    };
    if (c.login?.kind === 'password') {
      const r = await dex.passwordGrant(c.login.username, c.login.password);
      if (!r.ok) return { outcome: 'login-fails', evidence: `password grant: ${r.error}${await why()}` };
      const groups = (r.claims?.groups as string[] | undefined) ?? [];
      if (c.login.groups && JSON.stringify([...groups].sort()) !== JSON.stringify([...c.login.groups].sort()))
        return { outcome: 'login-fails', evidence: `password grant: groups ${JSON.stringify(groups)}` };
      return { outcome: 'ok', evidence: `password grant: id_token for ${String(r.claims?.email)}` };
    }
    if (c.login?.kind === 'redirect') {
      const problem = await redirectProblem(address.issuer, c.login.connectorId);
      if (problem) return { outcome: 'login-fails', evidence: `${problem}${await why()}` };
      return { outcome: 'ok', evidence: `redirect to the upstream IdP is usable` };
    }
    return { outcome: 'ok', evidence: 'Dex listens; every connector opened' };
  } finally {
    await dex.stop();
  }
}

export interface ToolFinding {
  code: string;
  message: string;
  path: string;
}

/** The tool's `validate -o json` on a manifest holding only the dex-config Secret with this config. */
export async function toolVerdict(
  c: DifferentialCase,
  services: Services,
): Promise<{ errors: ToolFinding[]; warnings: ToolFinding[] }> {
  const config = fill(c.config, {
    ISSUER: 'http://127.0.0.1:5556/dex',
    LDAP_HOST: services.ldapHost,
    LDAP_BIND_PW: services.ldapBindPW,
    OIDC_ISSUER: services.oidcIssuer,
  });
  const dir = mkdtempSync(join(tmpdir(), 'eda-diff-'));
  try {
    const file = join(dir, 'manifest.yaml');
    writeFileSync(
      file,
      `${JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: { name: 'dex-config', namespace: 'epinio' },
            stringData: { 'config.yaml': config, rolesMapping: '[]\n' },
          },
        ],
      })}\n`,
    );
    const r = await runCli(['validate', '--file', file, '-o', 'json']);
    if (r.code !== 0 && r.code !== 1) throw new Error(`validate exited ${r.code}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as {
      errors: (ToolFinding & { source: string })[];
      warnings: (ToolFinding & { source: string })[];
    };
    const mine = (list: (ToolFinding & { source: string })[]): ToolFinding[] =>
      list
        .filter((p) => p.source === 'config.yaml')
        .map(({ code, message, path }) => ({ code, message, path }));
    return { errors: mine(out.errors), warnings: mine(out.warnings) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every way the record, Dex and the tool disagree; [] when they agree. */
export function disagreements(
  c: DifferentialCase,
  dex: DexObservation,
  tool: { errors: ToolFinding[] },
): string[] {
  const out: string[] = [];
  const { expected } = c;
  if (dex.outcome !== expected.dex)
    out.push(`the record says Dex ${expected.dex}, but Dex ${dex.outcome}: ${dex.evidence}`);
  else if (expected.dexSays && !dex.evidence.includes(expected.dexSays))
    out.push(`the record says Dex says "${expected.dexSays}", but Dex says: ${dex.evidence}`);
  const errs = tool.errors.map((e) => `${e.code} at ${e.path}: ${e.message}`);
  if (dex.outcome === 'ok') {
    if (errs.length) out.push(`Dex works, but the tool reports errors:\n  ${errs.join('\n  ')}`);
    return out;
  }
  const consequence = CONSEQUENCE[dex.outcome];
  const named = tool.errors.filter((e) => e.code === expected.tool);
  if (!named.length)
    out.push(
      `Dex ${dex.outcome} (${dex.evidence}), but the tool has no ${expected.tool} error${errs.length ? `; it reports:\n  ${errs.join('\n  ')}` : ''}`,
    );
  else if (!named.some((e) => consequence.test(e.message)))
    out.push(
      `Dex ${dex.outcome}, but the tool's ${expected.tool} message does not say so (${consequence}):\n  ${named.map((e) => e.message).join('\n  ')}`,
    );
  return out;
}

/** The people and groups of the differential and login suites' slapd (different memberships). */
export const DIRECTORY = {
  people: [
    { uid: 'jane', password: 'jane-pass-1', mail: 'jane@example.org', cn: 'Jane Doe' },
    { uid: 'john', password: 'john-pass-2', mail: 'john@example.org', cn: 'John Roe' },
    { uid: 'nora', password: 'nora-pa$$word', mail: 'nora@example.org', cn: 'Nora Noe' },
  ],
  groups: [
    { cn: 'admins', members: ['jane'] },
    { cn: 'developers', members: ['jane', 'john'] },
    { cn: 'auditors', members: ['nora'] },
  ],
};

/** slapd with DIRECTORY and the stand-in OIDC provider, for one test file. */
export async function startServices(): Promise<Services & { stop(): Promise<void> }> {
  const [ldap, oidc] = await Promise.all([startSlapd(DIRECTORY), startOidcStandIn()]);
  return {
    ldapHost: ldap.host,
    ldapBindPW: ldap.bindPW,
    oidcIssuer: oidc.issuer,
    stop: async () => {
      await Promise.all([ldap.stop(), oidc.stop()]);
    },
  };
}
