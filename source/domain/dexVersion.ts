// Dex image tags compared with the releases named in dex-connectors.md.

/** [major, minor, patch] of a tag such as `v2.45.1-epinio-pkce`, or undefined for `main`, a digest, ... */
export function parseDexVersion(tag: string | undefined): [number, number, number] | undefined {
  const m = tag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag.trim()) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * True when the target Dex ignores main-only keys: v2.45.x or older. An unknown version counts
 * as Epinio's fork v2.45.1; a tag that is not a release (e.g. `master`) counts as main.
 */
export function ignoresMainOnly(dexVersion: string | undefined): boolean {
  if (dexVersion === undefined || dexVersion.trim() === '') return true;
  const v = parseDexVersion(dexVersion);
  return v !== undefined && compareVersions(v, [2, 46, 0]) < 0;
}

/** True when `dexVersion` is a known release older than `since` (e.g. `v2.38.0`). */
export function olderThan(dexVersion: string | undefined, since: string): boolean {
  const v = parseDexVersion(dexVersion);
  const s = parseDexVersion(since);
  return v !== undefined && s !== undefined && compareVersions(v, s) < 0;
}
