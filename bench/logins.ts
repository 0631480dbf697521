// Logins at scale: 5,000 identities (500 in --short) in Dex's Kubernetes storage, one RefreshToken
// and one OfflineSessions object each as Dex keeps them, created in parallel batches; then
// `logins list -o json` (both resources, page by page, folded to one row per identity, plus the
// user Secrets it maps to) against `kubectl get refreshtokens.dex.coreos.com -o json` of the same
// refresh tokens, alternating runs, wall time and peak RSS.
import { adminClient, createTestNamespace } from '../test/stack/env.js';
import {
  createAll,
  ensureDexCrds,
  offlineSessionsObject,
  refreshTokenObject,
  type PlantedLogin,
} from '../test/stack/dexStorage.js';
import type { ManifestRow } from './manifests.js';
import { alternate, hasGnuTime, runOnce, type Command } from './proc.js';
import { median, mib, ms, ratio } from './stats.js';

export async function benchLogins(o: {
  identities: number;
  runs: number;
  kubeconfig: string;
  kubectl: string;
  ours: (...args: string[]) => string[];
  env: NodeJS.ProcessEnv;
  log: (m: string) => void;
}): Promise<{ rows: ManifestRow[]; results: Record<string, unknown> }> {
  const admin = adminClient();
  await ensureDexCrds(admin);
  const ns = await createTestNamespace('bench-logins', { fixtures: true });
  const connectors = ['corp-ldap', 'github', 'keycloak', 'local'];
  const planted: PlantedLogin[] = Array.from({ length: o.identities }, (_, i) => ({
    name: `bench-rt-${i}`,
    connectorId: connectors[i % connectors.length]!,
    userId: `user-${i}`,
    username: `Bench User ${i}`,
    email: `bench${i}@example.com`,
    groups: [`team-${i % 50}`, i % 10 === 0 ? 'epinio-admins' : 'developers'],
    token: `bench-token-${i}-0123456789abcdef`,
    nonce: `bench-nonce-${i}`,
    connectorData: `{"refreshToken":"bench-upstream-${i}"}`,
  }));
  const t0 = Date.now();
  await createAll(
    admin,
    ns,
    'refreshtokens',
    planted.map((l) => refreshTokenObject(ns, l)),
  );
  await createAll(
    admin,
    ns,
    'offlinesessionses',
    planted.map((l) => offlineSessionsObject(ns, l)),
  );
  o.log(
    `created ${o.identities} RefreshToken + ${o.identities} OfflineSessions objects in ${ns} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const K = o.kubeconfig;
  const listOurs: Command = {
    label: 'logins list -o json',
    argv: o.ours('logins', 'list', '-o', 'json', '--kubeconfig', K, '-n', ns),
    env: o.env,
  };
  const listPeer: Command = {
    label: 'kubectl get refreshtokens.dex.coreos.com -o json',
    argv: [o.kubectl, 'get', 'refreshtokens.dex.coreos.com', '-n', ns, '-o', 'json', '--kubeconfig', K],
    env: o.env,
  };
  // Both print every identity (the check runs the code, in --short too).
  const rows = JSON.parse((await runOnce(listOurs, { keepStdout: true })).stdout) as unknown[];
  if (rows.length !== o.identities)
    throw new Error(`logins list printed ${rows.length} rows, expected ${o.identities}`);
  const peerItems = (
    JSON.parse((await runOnce(listPeer, { keepStdout: true })).stdout) as { items: unknown[] }
  ).items;
  if (peerItems.length !== o.identities) throw new Error(`kubectl listed ${peerItems.length} refresh tokens`);
  const [lo, lp] = await alternate([listOurs, listPeer], o.runs, { rss: hasGnuTime });
  const results = {
    identities: o.identities,
    ours: { wallMs: lo.map((r) => r.wallMs), maxRssKiB: lo.map((r) => r.maxRssKiB ?? NaN) },
    peer: { wallMs: lp.map((r) => r.wallMs), maxRssKiB: lp.map((r) => r.maxRssKiB ?? NaN) },
  };
  const mo = median(results.ours.wallMs);
  const mp = median(results.peer.wallMs);
  const ro = Math.max(...results.ours.maxRssKiB);
  const rp = Math.max(...results.peer.maxRssKiB);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const n = o.identities.toLocaleString('en-US');
  o.log(`logins list: ${ms(mo)} / ${mib(ro)} vs ${ms(mp)} / ${mib(rp)}`);
  return {
    results,
    rows: [
      {
        figure: `logins list -o json, ${n} identities: wall`,
        ours: ms(mo),
        peer: `${ms(mp)} (kubectl get refreshtokens.dex.coreos.com -o json)`,
        ratio: `${ratio(mo, mp)}x`,
        target: '<= 1.2x',
        met: verdict(mo <= 1.2 * mp),
      },
      {
        figure: `logins list -o json, ${n} identities: peak RSS (max)`,
        ours: mib(ro),
        peer: `${mib(rp)} (same kubectl)`,
        ratio: `${ratio(ro, rp)}x`,
        target: '<= 150 MiB',
        met: verdict(ro <= 150 * 1024),
      },
    ],
  };
}
