// Did `helm upgrade` re-render `dex-config` since the tool last wrote it? The tool stamps every write
// with a hash of the data it wrote (names.ts STAMP_HASH) and the revision (STAMP_REVISION), and each
// revision records the chart label it saw. A Helm-owned `dex-config` whose stamp is gone, or whose
// data no longer matches the stamp, was rewritten by someone else: Helm when its marks moved (the
// chart label differs from the one of the tool's last revision), else Helm or a hand edit; either
// way the tool's revisions may be lost, and it offers to re-apply them (historyReapply.ts).
import { contentHash, type HistoryDoc } from './history.js';
import { HELM_CHART_LABEL, HELM_RELEASE_NAME, isHelmManaged, STAMP_HASH, STAMP_REVISION } from './names.js';
import type { SecretObject } from './objects.js';

export interface HelmRender {
  /** Why the tool thinks so, in words. */
  reason: string;
  /** The chart label now, and the one the tool's last revision saw. */
  chart?: string;
  previousChart?: string;
  /** The newest revision of the tool's (the one whose write the render replaced). */
  lastRevision: number;
}

export const helmOwned = (s: SecretObject): boolean =>
  isHelmManaged(s) ||
  s.annotations[HELM_RELEASE_NAME] !== undefined ||
  s.labels[HELM_CHART_LABEL] !== undefined;

export function detectHelmRender(dexConfig: SecretObject, history: HistoryDoc): HelmRender | undefined {
  const last = history.revisions[history.revisions.length - 1];
  if (!last || !helmOwned(dexConfig)) return undefined;
  const stamp = dexConfig.annotations[STAMP_HASH];
  if (stamp !== undefined && stamp === contentHash(dexConfig.data)) return undefined;
  const chart = dexConfig.labels[HELM_CHART_LABEL];
  const previousChart = last.chart;
  const marksMoved = previousChart !== undefined && chart !== undefined && chart !== previousChart;
  const stampRev = dexConfig.annotations[STAMP_REVISION];
  const what =
    stamp === undefined
      ? "the tool's stamp is gone from dex-config"
      : `dex-config no longer holds what the tool wrote${stampRev ? ` at revision ${stampRev}` : ''}`;
  const reason = marksMoved
    ? `Helm re-rendered dex-config (chart ${previousChart} → ${chart}): ${what}`
    : `dex-config was rewritten outside the tool (a helm upgrade or a hand edit): ${what}`;
  return {
    reason,
    lastRevision: last.number,
    ...(chart ? { chart } : {}),
    ...(previousChart ? { previousChart } : {}),
  };
}
