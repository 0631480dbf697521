// The start path (issue 15): the npm install and the standalone executable side by side with
// Node itself, kubectl and k9s, all in one run, alternating so drift on a shared machine hits
// each alike; every target marked met or not, and a breakdown of the start from EDA_TRACE_START.
//   --version                     against `node -e ''`             target <= 1.2x
//   users list -o json (small)    against kubectl get secret       target <= 1.5x
//   the UI's first frame with the connectors (tmux pty) against k9s's first frame listing the
//   namespace's Secrets and kubectl get secret in the same pty   targets <= k9s and <= 1.5x kubectl
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, runOnce, type Command } from './proc.js';
import { median, ms, ratio } from './stats.js';
import type { TmuxServer } from './tmux.js';

export interface StartRow {
  figure: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
  met: string;
}

export interface StartPathOptions {
  runs: number;
  /** argv of the npm install (node + bin/epinio-dex-admin.js) and of the standalone executable. */
  npm: (...args: string[]) => string[];
  standalone: (...args: string[]) => string[];
  /** k9s, when the full benchmark built it. */
  k9s?: string;
  kubectl: string;
  kubeconfig: string;
  namespace: string;
  env: NodeJS.ProcessEnv;
  tuiEnv: Record<string, string>;
  tmux: TmuxServer;
  log: (msg: string) => void;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The milestones EDA_TRACE_START wrote (source/startTrace.ts), in ms since the process started. */
function readTrace(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [name, value] = line.split(' ');
    if (name && value && !(name in out)) out[name] = Number(value);
  }
  return out;
}

function medians(traces: Record<string, number>[]): Record<string, number> {
  const names = [...new Set(traces.flatMap((t) => Object.keys(t)))];
  return Object.fromEntries(
    names.map((n) => [n, median(traces.map((t) => t[n]).filter((v): v is number => v !== undefined))]),
  );
}

function describeTrace(t: Record<string, number>, total?: number): string {
  const parts = [
    ['main', 'process start + load'],
    ['first-request', 'first request'],
    ['first-response', 'first answer'],
    ['write-1', 'first write'],
  ] as const;
  const text = parts.filter(([k]) => Number.isFinite(t[k])).map(([k, label]) => `${label} ${ms(t[k]!)}`);
  if (total !== undefined) text.push(`frame with connectors ${ms(total)} (tmux)`);
  return text.join(', ');
}

export async function benchStartPath(o: StartPathOptions): Promise<{
  rows: StartRow[];
  results: Record<string, unknown>;
}> {
  const rows: StartRow[] = [];
  const results: Record<string, unknown> = { loadAverageAtStart: loadavg() };
  const traceDir = mkdtempSync(join(tmpdir(), 'eda-bench-trace-'));
  const K = o.kubeconfig;
  const ns = o.namespace;
  try {
    // --version and users list: wall time from spawn to exit.
    const node: Command = { label: "node -e ''", argv: [process.execPath, '-e', ''], env: o.env };
    const kubectlGet: Command = {
      label: 'kubectl get secret dex-config -o yaml',
      argv: [o.kubectl, 'get', 'secret', 'dex-config', '-n', ns, '-o', 'yaml', '--kubeconfig', K],
      env: o.env,
    };
    const cases = [
      {
        name: '--version',
        args: ['--version'],
        peer: node,
        factor: 1.2,
      },
      {
        name: 'users list -o json (small install)',
        args: ['users', 'list', '-o', 'json', '--kubeconfig', K, '-n', ns],
        peer: kubectlGet,
        factor: 1.5,
      },
    ];
    for (const c of cases) {
      o.log(`start ${c.name} (load ${loads()})`);
      const npm: Command = { label: `npm install ${c.name}`, argv: o.npm(...c.args), env: o.env };
      const sa: Command = { label: `standalone ${c.name}`, argv: o.standalone(...c.args), env: o.env };
      const [rn, rs, rp] = await alternate([npm, sa, c.peer], o.runs);
      const samples = {
        npm: rn.map((r) => r.wallMs),
        standalone: rs.map((r) => r.wallMs),
        peer: rp.map((r) => r.wallMs),
      };
      results[c.name] = { peerCommand: c.peer.label, ...samples };
      const mp = median(samples.peer);
      for (const [who, s] of [
        ['npm install', samples.npm],
        ['standalone', samples.standalone],
      ] as const) {
        const m = median(s);
        rows.push({
          figure: `start: ${c.name}, ${who}`,
          ours: ms(m),
          peer: `${ms(mp)} (${c.peer.label})`,
          ratio: `${ratio(m, mp)}x`,
          target: `<= ${c.factor}x`,
          met: verdict(m <= c.factor * mp),
        });
      }
      o.log(
        `start ${c.name}: npm ${ms(median(samples.npm))}, standalone ${ms(median(samples.standalone))}, ${c.peer.label} ${ms(mp)}`,
      );
    }

    // The first frame in the same pty: ours (both builds), k9s, kubectl. Rotating order.
    o.log(`start: first frames in tmux (load ${loads()})`);
    const k9sHome = mkdtempSync(join(tmpdir(), 'eda-bench-k9s-'));
    // k9s's own state in a throwaway directory; no check for a newer release (no network here).
    writeFileSync(
      join(k9sHome, 'config.yaml'),
      'k9s:\n  skipLatestRevCheck: true\n  ui:\n    logoless: true\n    headless: true\n    crumbsless: true\n    splashless: true\n',
    );
    const k9sEnv = {
      ...o.tuiEnv,
      K9S_CONFIG_DIR: k9sHome,
      XDG_STATE_HOME: k9sHome,
      XDG_DATA_HOME: k9sHome,
      XDG_CACHE_HOME: k9sHome,
    };
    const tuiArgs = ['--kubeconfig', K, '-n', ns];
    const frames: { name: string; argv: string[]; marker: string; env: Record<string, string> }[] = [
      { name: 'npm install', argv: o.npm(...tuiArgs), marker: 'Corporate LDAP', env: o.tuiEnv },
      { name: 'standalone', argv: o.standalone(...tuiArgs), marker: 'Corporate LDAP', env: o.tuiEnv },
      { name: 'kubectl', argv: kubectlGet.argv, marker: 'type: Opaque', env: o.tuiEnv },
    ];
    if (o.k9s)
      frames.push({
        name: 'k9s',
        argv: [
          o.k9s,
          '--kubeconfig',
          K,
          '-n',
          ns,
          '-c',
          'secrets',
          '--readonly',
          '--headless',
          '--logoless',
          '--crumbsless',
          '--splashless',
        ],
        marker: 'dex-config',
        env: k9sEnv,
      });
    const samples: Record<string, number[]> = Object.fromEntries(frames.map((f) => [f.name, []]));
    for (const f of frames) await o.tmux.timeToText(f.argv, f.marker, f.env); // warm-up
    for (let i = 0; i < o.runs; i++) {
      for (let k = 0; k < frames.length; k++) {
        const f = frames[(i + k) % frames.length]!;
        samples[f.name]!.push(await o.tmux.timeToText(f.argv, f.marker, f.env));
      }
    }
    rmSync(k9sHome, { recursive: true, force: true });
    results.firstFrame = samples;
    const mk = median(samples.kubectl!);
    const m9 = o.k9s ? median(samples.k9s!) : NaN;
    for (const who of ['npm install', 'standalone']) {
      const m = median(samples[who]!);
      rows.push({
        figure: `start: UI first frame with connectors (tmux), ${who}`,
        ours: ms(m),
        peer: `${ms(mk)} (kubectl get secret dex-config, same pty)`,
        ratio: `${ratio(m, mk)}x`,
        target: '<= 1.5x',
        met: verdict(m <= 1.5 * mk),
      });
      rows.push({
        figure: `start: UI first frame with connectors (tmux), ${who}, vs k9s`,
        ours: ms(m),
        peer: o.k9s ? `${ms(m9)} (k9s first frame listing the Secrets, same pty)` : 'k9s: full run only',
        ratio: o.k9s ? `${ratio(m, m9)}x` : '-',
        target: '<= k9s',
        met: o.k9s ? verdict(m <= m9) : 'not measured',
      });
    }
    o.log(`start first frames: ${frames.map((f) => `${f.name} ${ms(median(samples[f.name]!))}`).join(', ')}`);

    // The breakdown: the same starts traced (separate runs, so the timed ones carry no tracing).
    const traced: Record<string, Record<string, number>> = {};
    for (const [who, argv] of [
      ['npm install', o.npm],
      ['standalone', o.standalone],
    ] as const) {
      const ui: Record<string, number>[] = [];
      const list: Record<string, number>[] = [];
      const version: Record<string, number>[] = [];
      for (let i = 0; i < Math.min(5, o.runs); i++) {
        const file = join(traceDir, `${who}-${i}`);
        const env = { ...o.tuiEnv, EDA_TRACE_START: `${file}-ui` };
        await o.tmux.timeToText(argv(...tuiArgs), 'Corporate LDAP', env);
        ui.push(readTrace(`${file}-ui`));
        await runOnce({
          label: 'traced users list',
          argv: argv(...cases[1]!.args),
          env: { ...o.env, EDA_TRACE_START: `${file}-list` },
        });
        list.push(readTrace(`${file}-list`));
        await runOnce({
          label: 'traced --version',
          argv: argv('--version'),
          env: { ...o.env, EDA_TRACE_START: `${file}-version` },
        });
        version.push(readTrace(`${file}-version`));
      }
      traced[`${who} UI`] = medians(ui);
      traced[`${who} users list`] = medians(list);
      traced[`${who} --version`] = medians(version);
      rows.push({
        figure: `start breakdown, ${who}: UI (ms since process start, medians)`,
        ours: describeTrace(traced[`${who} UI`]!, median(samples[who]!)),
        peer: '-',
        ratio: '-',
        target: '-',
        met: '-',
      });
      rows.push({
        figure: `start breakdown, ${who}: users list`,
        ours: describeTrace(traced[`${who} users list`]!),
        peer: '-',
        ratio: '-',
        target: '-',
        met: '-',
      });
      rows.push({
        figure: `start breakdown, ${who}: --version`,
        ours: describeTrace(traced[`${who} --version`]!),
        peer: '-',
        ratio: '-',
        target: '-',
        met: '-',
      });
    }
    results.breakdown = traced;
    results.loadAverageAtEnd = loadavg();
    return { rows, results };
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}
