// Reading Deployments: the image tag (the versions the tool shows) and rollout state (the same
// test as `kubectl rollout status`).
import type { RolloutProgress } from '../types.js';

export interface RawDeployment {
  metadata?: { generation?: number };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

/** `ghcr.io/epinio/dex:v2.45.1-epinio-pkce` -> `v2.45.1-epinio-pkce`; undefined without a tag. */
export function tagOfImage(image: string): string | undefined {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  // A colon before the last slash is a registry port, not a tag.
  return colon > lastSlash ? noDigest.slice(colon + 1) || undefined : undefined;
}

export function imageTag(d: RawDeployment, container: string): string | undefined {
  const containers = d.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === container) ?? containers[0];
  return c?.image ? tagOfImage(c.image) : undefined;
}

export function rolloutState(d: RawDeployment, generation: number): RolloutProgress {
  const want = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  const updated = st.updatedReplicas ?? 0;
  const ready = st.readyReplicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const counts = { updatedReplicas: updated, readyReplicas: ready, replicas: want };
  const stuck = st.conditions?.find(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (stuck) {
    return {
      phase: 'failed',
      message: `Dex rollout failed: ${stuck.message ?? 'progress deadline exceeded'}`,
      ...counts,
    };
  }
  if ((st.observedGeneration ?? 0) < generation) {
    return {
      phase: 'progressing',
      message: 'waiting for the Deployment controller to see the restart',
      ...counts,
    };
  }
  if (updated < want) {
    return { phase: 'progressing', message: `${updated} of ${want} new Dex pods updated`, ...counts };
  }
  if ((st.replicas ?? 0) > updated) {
    return {
      phase: 'progressing',
      message: `${(st.replicas ?? 0) - updated} old Dex pods still terminating`,
      ...counts,
    };
  }
  if (available < want) {
    return { phase: 'progressing', message: `${available} of ${want} new Dex pods available`, ...counts };
  }
  return { phase: 'ready', message: `Dex restarted: ${available} of ${want} pods available`, ...counts };
}
