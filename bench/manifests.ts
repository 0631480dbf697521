// Manifests at scale (--file): a generated `kubectl get -o yaml` manifest of 50,000 users (2,000 in
// --short) read by PyYAML's C loader (libyaml, the peer: the parse alone, nothing done with it), and
// by us: `users list -o json`, the UI until its first frame with data (tmux pty), and one
// `users set-password` (read, precondition, bcrypt cost 10, write). Wall time and peak RSS of each,
// alternating runs.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchUsername, bigManifest } from './bigManifest.js';
import { alternate, hasGnuTime, type Command, type RunResult } from './proc.js';
import { median, mib, ms, ratio } from './stats.js';
import type { TmuxServer } from './tmux.js';

export interface ManifestRow {
  figure: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
  met: string;
}

const PYTHON = '/usr/bin/python3';
const PY_READ = 'import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)';

export async function benchManifests(o: {
  dir: string;
  users: number;
  runs: number;
  ours: (...args: string[]) => string[];
  env: NodeJS.ProcessEnv;
  tmux: TmuxServer;
  log: (m: string) => void;
}): Promise<{ rows: ManifestRow[]; results: Record<string, unknown> }> {
  const file = join(o.dir, 'manifest-at-scale.yaml');
  writeFileSync(file, bigManifest(o.users));
  const size = `${(statSync(file).size / 1e6).toFixed(1)} MB`;
  const label = `manifest ${o.users.toLocaleString('en-US')} users (${size})`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const peerOk = spawnSync(PYTHON, ['-c', 'import yaml; yaml.CSafeLoader'], { stdio: 'ignore' }).status === 0;
  const peer: Command = { label: 'PyYAML CSafeLoader', argv: [PYTHON, '-c', PY_READ, file], env: o.env };
  const list: Command = {
    label: 'users list',
    argv: o.ours('users', 'list', '-o', 'json', '--file', file),
    env: o.env,
  };
  const setPw: Command = {
    label: 'users set-password',
    argv: [
      'sh',
      '-c',
      `printf '%s\\n' 'a bench password' | "$@"`,
      'sh',
      ...o.ours(
        'users',
        'set-password',
        benchUsername(7),
        '--password-stdin',
        '--cost',
        '10',
        '--file',
        file,
      ),
    ],
    env: o.env,
  };
  const cmds = peerOk ? [peer, list, setPw] : [list, setPw];
  o.log(
    `${label}: ${cmds.map((c) => c.label).join(', ')}${peerOk ? '' : ' (no python3-yaml with libyaml: peer skipped)'}`,
  );
  const runs = await alternate(cmds, o.runs, { rss: hasGnuTime });
  const [peerRuns, listRuns, pwRuns] = peerOk ? runs : [undefined, ...runs];
  const ui: { ms: number; peakKiB: number }[] = [];
  const uiArgv = o.ours('--file', file);
  const uiEnv = { XDG_STATE_HOME: String(o.env.XDG_STATE_HOME), NO_COLOR: '1' };
  await o.tmux.timeAndPeak(uiArgv, 'no connectors', uiEnv, 300_000);
  for (let i = 0; i < o.runs; i++) ui.push(await o.tmux.timeAndPeak(uiArgv, 'no connectors', uiEnv, 300_000));

  const wall = (r: RunResult[]) => median(r.map((x) => x.wallMs));
  const peak = (r: RunResult[]) => Math.max(...r.map((x) => x.maxRssKiB ?? NaN));
  const peerMs = peerRuns ? wall(peerRuns) : NaN;
  const peerLabel = peerRuns
    ? `${ms(peerMs)} (PyYAML CSafeLoader read, ${mib(peak(peerRuns))})`
    : 'skipped (no python3-yaml)';
  const rows: ManifestRow[] = [];
  const add = (what: string, wallMs: number, peakKiB: number) => {
    rows.push({
      figure: `${label}: ${what}`,
      ours: `${ms(wallMs)}, ${mib(peakKiB)} peak`,
      peer: peerLabel,
      ratio: peerRuns ? `${ratio(wallMs, peerMs)}x` : '-',
      target: '<= 1x the C parser, <= 500 MiB',
      met: peerRuns
        ? verdict(wallMs <= peerMs && peakKiB <= 500 * 1024)
        : verdict(peakKiB <= 500 * 1024) + ' (memory only)',
    });
  };
  add('users list -o json', wall(listRuns!), peak(listRuns!));
  add('UI to first frame (tmux pty)', median(ui.map((u) => u.ms)), Math.max(...ui.map((u) => u.peakKiB)));
  add('users set-password (cost 10)', wall(pwRuns!), peak(pwRuns!));
  return {
    rows,
    results: {
      users: o.users,
      bytes: statSync(file).size,
      peer: peerRuns?.map((r) => ({ wallMs: r.wallMs, maxRssKiB: r.maxRssKiB })) ?? 'skipped',
      usersList: listRuns!.map((r) => ({ wallMs: r.wallMs, maxRssKiB: r.maxRssKiB })),
      setPassword: pwRuns!.map((r) => ({ wallMs: r.wallMs, maxRssKiB: r.maxRssKiB })),
      uiFirstFrame: ui,
    },
  };
}
