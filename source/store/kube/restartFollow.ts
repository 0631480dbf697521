// Following a Dex restart past the Deployment's counts (issue 13): the new ReplicaSet's pods are
// polled (at most every second) so a pod that crashes on the new config is reported failed within
// seconds, with its termination message and last log lines; once the rollout is ready, Dex's
// discovery is asked through the API server's service proxy and the new pod's log must show each
// added or edited connector opening. What RBAC hides is said, never assumed fine.
import { DexConfigDocument } from '../../domain/dexConfig.js';
import { CONFIG_KEY, DEX_DEPLOYMENT } from '../../domain/names.js';
import {
  changedConnectorIds,
  connectorOutcomes,
  maskPodText,
  secretValuesOf,
} from '../../domain/restartVerify.js';
import { ForbiddenError, StoreError } from '../errors.js';
import type { PodFailure, RestartCheck, RolloutProgress, RestartVerifyOptions } from '../types.js';
import { rolloutState, type RawDeployment } from './deployments.js';
import type { KubeHttp, Target } from './http.js';
import {
  isPodFailure,
  newReplicaSet,
  oldReadyPods,
  podVerdict,
  podsOf,
  type PodVerdict,
  type RawPod,
  type RawReplicaSet,
} from './rolloutPods.js';

export interface FollowContext {
  http: KubeHttp;
  namespace: string;
  target(verb: string, resource: string, name?: string, notFound?: string): Target;
  generation: number;
  deadline: number;
  timeoutMs: number;
  pollMs: number;
  /** A running container unready this long (while the old pod serves) counts as failed. */
  notReadyAfterMs: number;
  /** config.yaml Dex restarted on (masking, connectors to check). */
  config: string | undefined;
  verify?: RestartVerifyOptions;
  onProgress?: (p: RolloutProgress) => void;
}

/** The Role rule that would let the tool see each part, for what it cannot see. */
export const RBAC_RULES = {
  replicasets: 'apiGroups ["apps"], resources ["replicasets"], verbs ["list"]',
  pods: 'apiGroups [""], resources ["pods"], verbs ["get", "list", "watch"]',
  logs: 'apiGroups [""], resources ["pods/log"], verbs ["get"]',
  proxy: 'apiGroups [""], resources ["services/proxy"], verbs ["get"]; and ["services"], verbs ["get"]',
} as const;

const LOG_LINES = 20;
/** Dex logs its connectors first; a started pod's log is read this far to find them. */
const STARTUP_LOG_LINES = 500;

const selectorOf = (d: RawDeployment & { spec?: { selector?: { matchLabels?: Record<string, string> } } }) =>
  Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const forbiddenLine = (err: ForbiddenError, what: string, rule: string): string =>
  `cannot ${err.verb} ${err.resource} in namespace "${err.namespace}": ${what} (Role rule: ${rule})`;

export async function followRollout(ctx: FollowContext): Promise<RolloutProgress> {
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(ctx.namespace)}/deployments/${DEX_DEPLOYMENT}`;
  const notFound =
    'Dex runs as Deployment "dex" in the Epinio namespace; check -n, or whether Dex is installed';
  const unseen: string[] = [];
  let seePods = true;
  const secrets = secretValuesOf([ctx.config, ctx.verify?.previousConfig]);
  for (;;) {
    const dep = (
      await ctx.http.request<RawDeployment>(
        'GET',
        path,
        ctx.target('get', 'deployments', DEX_DEPLOYMENT, notFound),
      )
    ).body;
    let progress: RolloutProgress = rolloutState(dep, ctx.generation);
    // Until the controller has seen the restart, the revision annotation names the previous
    // ReplicaSet: its pods say nothing about the new config.
    const seenByController = (dep.status?.observedGeneration ?? 0) >= ctx.generation;
    // Also past the progress deadline: the failing pod says why.
    if (seePods && seenByController) {
      const seen = await podsView(ctx, dep, unseen);
      if (seen === 'forbidden') seePods = false;
      else if (seen) {
        progress = {
          ...progress,
          pods: seen.verdicts.map(({ name, state, restarts, detail }) => ({
            name,
            state,
            restarts,
            ...(detail ? { detail } : {}),
          })),
        };
        const failing = seen.verdicts.find(isPodFailure);
        if (failing) {
          const failure = await describeFailure(ctx, failing, secrets, unseen);
          const serving = seen.oldReady > 0 ? `; the old pod still serves (${seen.oldReady} ready)` : '';
          const code =
            failing.terminated?.exitCode !== undefined ? `, exit code ${failing.terminated.exitCode}` : '';
          progress = {
            ...progress,
            phase: 'failed',
            message: `new Dex pod ${failing.name} ${describeState(failing)}${code}${serving}`,
            failure,
          };
        }
      }
    }
    if (unseen.length) progress.unseen = [...unseen];
    if (progress.phase === 'ready') progress = await verifyChanges(ctx, progress, secrets, unseen);
    if (progress.phase === 'ready' || progress.phase === 'failed') {
      ctx.onProgress?.(progress);
      return progress;
    }
    if (Date.now() >= ctx.deadline) {
      progress = {
        ...progress,
        phase: 'timeout',
        message: `Dex rollout not finished after ${Math.round(ctx.timeoutMs / 1000)}s: ${progress.message}`,
      };
      ctx.onProgress?.(progress);
      return progress;
    }
    ctx.onProgress?.(progress);
    await new Promise((r) =>
      setTimeout(r, Math.min(ctx.pollMs, 1000, Math.max(0, ctx.deadline - Date.now()))),
    );
  }
}

function describeState(v: PodVerdict): string {
  if (v.state === 'crashLooping')
    return v.restarts === 0
      ? `crashed (${v.detail ?? 'Error'}, not restarted yet)`
      : `is crash-looping (${v.detail ?? 'Error'}, ${v.restarts} restarts)`;
  if (v.state === 'notReady') return `is ${v.detail ?? 'not ready'}`;
  return `failed (${v.detail ?? 'Failed'})`;
}

/** The items of a list; 'forbidden' when RBAC hides it, with a line in `unseen` saying what is then
 *  not followed and the rule that would allow it. */
async function listOrForbidden<T>(
  ctx: FollowContext,
  path: string,
  resource: 'replicasets' | 'pods',
  unseen: string[],
  notFollowed: string,
): Promise<T[] | 'forbidden'> {
  try {
    return (
      (await ctx.http.request<{ items?: T[] }>('GET', path, ctx.target('list', resource))).body.items ?? []
    );
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
    unseen.push(forbiddenLine(err, notFollowed, RBAC_RULES[resource]));
    return 'forbidden';
  }
}

async function podsView(
  ctx: FollowContext,
  dep: RawDeployment,
  unseen: string[],
): Promise<{ verdicts: PodVerdict[]; oldReady: number } | 'forbidden' | undefined> {
  const ns = encodeURIComponent(ctx.namespace);
  const q = new URLSearchParams({ labelSelector: selectorOf(dep) });
  const sets = await listOrForbidden<RawReplicaSet>(
    ctx,
    `/apis/apps/v1/namespaces/${ns}/replicasets?${q}`,
    'replicasets',
    unseen,
    "only the Deployment's counts are followed; a crashing new pod is seen only at the progress deadline",
  );
  if (sets === 'forbidden') return sets;
  const rs = newReplicaSet(dep as never, sets);
  if (!rs) return undefined;
  const pods = await listOrForbidden<RawPod>(
    ctx,
    `/api/v1/namespaces/${ns}/pods?${q}`,
    'pods',
    unseen,
    "only the Deployment's counts are followed; a crashing new pod and its termination message are not seen",
  );
  if (pods === 'forbidden') return pods;
  const now = Date.now();
  return {
    verdicts: podsOf(rs, pods).map((p) => podVerdict(p, DEX_DEPLOYMENT, now, ctx.notReadyAfterMs)),
    oldReady: oldReadyPods(dep as never, sets, rs),
  };
}

/** Reads a container's log as lines; a string says why it is unavailable. */
async function podLog(
  ctx: FollowContext,
  pod: string,
  container: string,
  tailLines: number,
  previous: boolean,
): Promise<string[] | string> {
  const q = new URLSearchParams({ container, tailLines: String(tailLines) });
  if (previous) q.set('previous', 'true');
  try {
    const res = await ctx.http.request<unknown>(
      'GET',
      `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods/${encodeURIComponent(pod)}/log?${q}`,
      ctx.target('get', 'pods/log', pod),
    );
    const text =
      typeof res.body === 'string' ? res.body : res.body === undefined ? '' : JSON.stringify(res.body);
    return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  } catch (err) {
    if (err instanceof ForbiddenError) return forbiddenLine(err, 'no log lines are shown', RBAC_RULES.logs);
    if (err instanceof StoreError) return `the API server could not give the logs: ${err.message}`;
    throw err;
  }
}

async function describeFailure(
  ctx: FollowContext,
  v: PodVerdict,
  secrets: string[],
  unseen: string[],
): Promise<PodFailure> {
  const t = v.terminated;
  const container = v.container ?? DEX_DEPLOYMENT;
  const failure: PodFailure = { pod: v.name, container };
  if (t?.reason) failure.reason = t.reason;
  if (t?.exitCode !== undefined) failure.exitCode = t.exitCode;
  if (ctx.config === undefined) {
    // Without config.yaml its secret values are unknown, so they could not be masked: the pod's
    // own words are withheld rather than risked.
    const why = 'not shown: config.yaml could not be read, so its secrets could not be masked in it';
    if (t?.message) failure.message = `(${why})`;
    failure.logsUnavailable = why;
    return failure;
  }
  if (t?.message) failure.message = maskPodText(t.message.trimEnd(), secrets);
  const log = await podLog(ctx, v.name, container, LOG_LINES, v.previous === true);
  if (typeof log === 'string') {
    failure.logsUnavailable = log;
    if (!unseen.includes(log)) unseen.push(log);
  } else failure.logs = log.map((l) => maskPodText(l, secrets));
  return failure;
}

interface RawService {
  spec?: { ports?: { name?: string; port?: number }[] };
}

/** Ready: ask discovery, and the log of a new pod for each changed connector. */
async function verifyChanges(
  ctx: FollowContext,
  progress: RolloutProgress,
  secrets: string[],
  unseen: string[],
): Promise<RolloutProgress> {
  const checks: RestartCheck[] = [await discoveryCheck(ctx, unseen)];
  const ids = ctx.config === undefined ? [] : changedConnectorIds(ctx.verify?.previousConfig, ctx.config);
  const readyPod = progress.pods?.find((p) => p.state === 'ready');
  if (ids.length) {
    if (!readyPod) {
      checks.push({
        name: 'connectors',
        ok: undefined,
        message: `connectors ${ids.join(', ')} not checked: no new pod is visible`,
      });
    } else {
      const log = await podLog(ctx, readyPod.name, DEX_DEPLOYMENT, STARTUP_LOG_LINES, false);
      if (typeof log === 'string') {
        if (!unseen.includes(log)) unseen.push(log);
        checks.push({
          name: 'connectors',
          ok: undefined,
          message: `connectors ${ids.join(', ')} not checked: ${log}`,
        });
      } else {
        for (const o of connectorOutcomes(log, ids)) {
          checks.push({
            name: `connector ${o.id}`,
            ok: o.opened,
            message:
              o.opened === true
                ? `connector ${o.id} opened`
                : o.opened === false
                  ? `connector ${o.id} failed to open: ${maskPodText(o.error ?? '', secrets)}`
                  : `connector ${o.id}: the log of ${readyPod.name} does not say whether it opened`,
          });
        }
      }
    }
  }
  const out: RolloutProgress = { ...progress, checks };
  if (unseen.length) out.unseen = [...unseen];
  const bad = checks.filter((c) => c.ok === false);
  if (bad.length) {
    return { ...out, phase: 'failed', message: `Dex runs, but ${bad.map((c) => c.message).join('; ')}` };
  }
  const unknown = checks.filter((c) => c.ok === undefined);
  if (unknown.length)
    out.message = `${progress.message}; not verified: ${unknown.map((c) => c.message).join('; ')}`;
  return out;
}

async function discoveryCheck(ctx: FollowContext, unseen: string[]): Promise<RestartCheck> {
  const name = 'discovery';
  let issuer: string | undefined;
  try {
    issuer = ctx.config === undefined ? undefined : DexConfigDocument.parse(ctx.config).issuer;
  } catch {
    issuer = undefined;
  }
  const ns = encodeURIComponent(ctx.namespace);
  let port: number | undefined;
  try {
    const svc = await ctx.http.request<RawService>(
      'GET',
      `/api/v1/namespaces/${ns}/services/${DEX_DEPLOYMENT}`,
      ctx.target('get', 'services', DEX_DEPLOYMENT),
    );
    const ports = svc.body.spec?.ports ?? [];
    port = (ports.find((p) => p.name === 'http') ?? ports.find((p) => p.port === 5556) ?? ports[0])?.port;
  } catch (err) {
    if (err instanceof ForbiddenError) {
      const line = forbiddenLine(err, 'discovery not checked', RBAC_RULES.proxy);
      unseen.push(line);
      return { name, ok: undefined, message: line };
    }
    if (err instanceof StoreError)
      return { name, ok: undefined, message: `discovery not checked: ${err.message}` };
    throw err;
  }
  if (port === undefined)
    return { name, ok: undefined, message: 'discovery not checked: Service "dex" has no port' };
  let issuerPath = '';
  try {
    issuerPath = issuer ? new URL(issuer).pathname.replace(/\/+$/, '') : '';
  } catch {
    issuerPath = '';
  }
  const proxy = `/api/v1/namespaces/${ns}/services/${DEX_DEPLOYMENT}:${port}/proxy${issuerPath}/.well-known/openid-configuration`;
  try {
    const res = await ctx.http.request<{ issuer?: unknown }>(
      'GET',
      proxy,
      ctx.target('get', 'services/proxy', DEX_DEPLOYMENT),
    );
    const got = typeof res.body === 'object' && res.body ? res.body.issuer : undefined;
    if (typeof got !== 'string') return { name, ok: false, message: 'discovery answered without an issuer' };
    if (issuer && got !== issuer)
      return {
        name,
        ok: false,
        message: `discovery answers for issuer ${maskPodText(got, [])}, config.yaml says ${issuer}`,
      };
    return { name, ok: true, message: `discovery answers (issuer ${maskPodText(got, [])})` };
  } catch (err) {
    if (err instanceof ForbiddenError) {
      const line = forbiddenLine(err, 'discovery not checked', RBAC_RULES.proxy);
      unseen.push(line);
      return { name, ok: undefined, message: line };
    }
    if (err instanceof StoreError)
      return {
        name,
        ok: undefined,
        message: `discovery not checked: the service proxy did not reach Dex: ${err.message}`,
      };
    throw err;
  }
}

export function configOf(data: Record<string, string> | undefined): string | undefined {
  return data?.[CONFIG_KEY];
}
