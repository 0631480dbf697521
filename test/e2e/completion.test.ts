// Completion as an operator meets it: an interactive bash (no rc files) in a real terminal (tmux),
// the script loaded with `source <(epinio-dex-admin completion bash)`, TAB pressed by readline.
// The built binary answers the dynamic part (connector ids from a manifest file).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../unit/cli/harness.js';
import { TMUX } from './tmux.js';

const FIXTURE = join(ROOT, 'test/unit/cli/fixtures/epinio.yaml');
const socket = `eda-completion-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync(TMUX, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'c');

async function until(what: (s: string) => boolean, label: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const s = screen();
    if (what(s)) return s;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${label}; screen:\n${screen()}`);
}

describe('bash completion in an interactive bash (tmux, readline TAB)', () => {
  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run `npm run build`');
    const bin = mkdtempSync(join(tmpdir(), 'eda-e2e-completion-'));
    symlinkSync(join(ROOT, 'bin/epinio-dex-admin.js'), join(bin, 'epinio-dex-admin'));
    tmux(
      'new-session',
      '-d',
      '-s',
      'c',
      '-x',
      '150',
      '-y',
      '30',
      'env',
      '-i',
      `PATH=${bin}:${process.env.PATH}`,
      'HOME=/tmp',
      'TERM=xterm',
      'PS1=$ ',
      'bash',
      '--norc',
      '--noprofile',
      '-i',
    );
  });
  after(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('completes a subcommand, a flag and a connector id when TAB is pressed', async () => {
    tmux(
      'send-keys',
      '-t',
      'c',
      'source <(epinio-dex-admin completion bash); complete -p epinio-dex-admin',
      'Enter',
    );
    await until((s) => s.includes('complete -F _eda_complete epinio-dex-admin'), 'the script to load');
    tmux('send-keys', '-t', 'c', 'clear', 'Enter');
    await until((s) => !s.includes('complete -F'), 'clear');
    // One candidate: readline completes the word in place (capture-pane drops the trailing space).
    tmux('send-keys', '-t', 'c', 'epinio-dex-admin users rep', 'Tab');
    await until((s) => /^\$ epinio-dex-admin users report$/m.test(s), 'users report');
    tmux('send-keys', '-t', 'c', 'C-u');
    tmux('send-keys', '-t', 'c', 'epinio-dex-admin apply --dr', 'Tab');
    await until((s) => /^\$ epinio-dex-admin apply --dry-run$/m.test(s), 'apply --dry-run');
    tmux('send-keys', '-t', 'c', 'C-u');
    // Two candidates from the manifest: TAB TAB lists them.
    tmux('send-keys', '-t', 'c', `epinio-dex-admin connectors show --file ${FIXTURE} `, 'Tab', 'Tab');
    const s = await until((x) => /github\s+ldap/.test(x), 'the connector ids');
    assert.match(s, /github\s+ldap/);
  });
});
