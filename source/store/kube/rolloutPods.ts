// The new ReplicaSet of a rollout and the state of its pods, from raw API objects (pure). A
// Deployment controller names the ReplicaSet of the current template with the Deployment's
// `deployment.kubernetes.io/revision`; its pods carry an owner reference to it. A config Dex
// rejects shows here within seconds (a terminated container, CrashLoopBackOff), long before the
// Deployment's progress deadline, while the old pod keeps serving.
import type { PodProgress } from '../types.js';

export const REVISION = 'deployment.kubernetes.io/revision';

interface OwnerRef {
  uid?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}
interface Meta {
  name?: string;
  uid?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  ownerReferences?: OwnerRef[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface RawReplicaSet {
  metadata?: Meta;
  status?: { replicas?: number; readyReplicas?: number };
}

export interface RawTerminated {
  exitCode?: number;
  reason?: string;
  message?: string;
  finishedAt?: string;
}
export interface RawContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: RawTerminated;
  };
  lastState?: { terminated?: RawTerminated };
}
export interface RawPod {
  metadata?: Meta;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    containerStatuses?: RawContainerStatus[];
  };
}

const ownedBy = (m: Meta | undefined, uid: string | undefined): boolean =>
  uid !== undefined && (m?.ownerReferences ?? []).some((o) => o.uid === uid);

/** The ReplicaSet of the Deployment's current revision, once the controller made it. */
export function newReplicaSet(
  deployment: { metadata?: Meta },
  sets: readonly RawReplicaSet[],
): RawReplicaSet | undefined {
  const revision = deployment.metadata?.annotations?.[REVISION];
  if (revision === undefined) return undefined;
  return sets.find(
    (rs) =>
      ownedBy(rs.metadata, deployment.metadata?.uid) && rs.metadata?.annotations?.[REVISION] === revision,
  );
}

/** The Deployment's other ReplicaSets that still have ready pods: the old pods still serving. */
export function oldReadyPods(
  deployment: { metadata?: Meta },
  sets: readonly RawReplicaSet[],
  current?: RawReplicaSet,
): number {
  return sets
    .filter((rs) => rs !== current && ownedBy(rs.metadata, deployment.metadata?.uid))
    .reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
}

export function podsOf(rs: RawReplicaSet, pods: readonly RawPod[]): RawPod[] {
  return pods.filter((p) => ownedBy(p.metadata, rs.metadata?.uid) && !p.metadata?.deletionTimestamp);
}

/** Waiting reasons that do not fix themselves: the pod will never start on this template. */
const STUCK_WAITING = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface PodVerdict extends PodProgress {
  /** The container whose failure decides, with its last termination. */
  container?: string;
  terminated?: RawTerminated;
  /** Its logs are the previous instance's (it has restarted since it crashed). */
  previous?: boolean;
}

/**
 * One new pod: crash-looping (a terminated container with a non-zero exit, or CrashLoopBackOff),
 * failed (phase Failed, a waiting reason that never resolves), not ready (running but unready
 * for longer than `notReadyAfterMs`), starting, or ready.
 */
export function podVerdict(pod: RawPod, container: string, now: number, notReadyAfterMs: number): PodVerdict {
  const name = pod.metadata?.name ?? '';
  const statuses = pod.status?.containerStatuses ?? [];
  const cs = statuses.find((c) => c.name === container) ?? statuses[0];
  const restarts = cs?.restartCount ?? 0;
  const base = { name, restarts, container: cs?.name ?? container };
  if (pod.status?.phase === 'Failed') {
    const t = cs?.state?.terminated ?? cs?.lastState?.terminated;
    return {
      ...base,
      state: 'failed',
      detail: pod.status.reason ?? t?.reason ?? 'pod failed',
      terminated:
        t ?? (pod.status.message ? { message: pod.status.message, reason: pod.status.reason } : undefined),
    };
  }
  if (!cs) return { ...base, state: 'pending', detail: pod.status?.reason ?? pod.status?.phase ?? 'Pending' };
  const nowTerminated = cs.state?.terminated;
  if (nowTerminated && (nowTerminated.exitCode ?? 1) !== 0) {
    return {
      ...base,
      state: 'crashLooping',
      detail: nowTerminated.reason ?? 'Error',
      terminated: nowTerminated,
    };
  }
  const waiting = cs.state?.waiting?.reason;
  const last = cs.lastState?.terminated;
  if (waiting && STUCK_WAITING.has(waiting)) {
    const crash = waiting === 'CrashLoopBackOff';
    return {
      ...base,
      state: crash ? 'crashLooping' : 'failed',
      detail: waiting,
      terminated:
        last ??
        (cs.state?.waiting?.message ? { message: cs.state.waiting.message, reason: waiting } : undefined),
      previous: crash && last !== undefined,
    };
  }
  if (restarts > 0 && last && (last.exitCode ?? 1) !== 0) {
    // Restarted after a crash and running again: it crashed once, and a config error crashes again.
    return {
      ...base,
      state: 'crashLooping',
      detail: last.reason ?? 'Error',
      terminated: last,
      previous: true,
    };
  }
  if (cs.ready) return { ...base, state: 'ready' };
  const started = cs.state?.running?.startedAt ? Date.parse(cs.state.running.startedAt) : NaN;
  if (cs.state?.running && Number.isFinite(started) && now - started > notReadyAfterMs) {
    return {
      ...base,
      state: 'notReady',
      detail: `running but not ready for ${Math.round((now - started) / 1000)}s`,
    };
  }
  return {
    ...base,
    state: 'starting',
    detail: waiting ?? (cs.state?.running ? 'running, not ready yet' : 'waiting'),
  };
}

export const isPodFailure = (v: PodProgress): boolean =>
  v.state === 'crashLooping' || v.state === 'failed' || v.state === 'notReady';
