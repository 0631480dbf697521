// The bundle patches Ink and its helpers (scripts/bundlePlugin.mjs) for speed and swaps
// string-width for source/output/stringWidth.ts. They must not change a single byte on screen:
// the same key sequence on the demo sandbox (test/e2e/lib/inkFrames.tsx) is played from source,
// with the dependencies as published, and bundled with the plugin, and every frame is compared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleHarness } from '../../scripts/bundlePlugin.mjs';
import { ROOT } from '../unit/cli/harness.js';
import { STANDALONE_BIN } from './tmux.js';

const work = mkdtempSync(join(tmpdir(), 'eda-ink-frames-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Ink draws only a final frame under CI or CONTINUOUS_INTEGRATION (the CLI drops them too), and
 *  colours must be on for the style diffing to be exercised. */
function inkEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NO_COLOR: _noColor, CI: _ci, CONTINUOUS_INTEGRATION: _cint, ...rest } = env;
  return { ...rest, NODE_ENV: 'production', FORCE_COLOR: '1' };
}

function frames(argv: string[], out: string): { keys: number; frames: string[] } {
  const r = spawnSync(process.execPath, [...argv, out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    env: inkEnv(process.env),
  });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { keys: number; frames: string[] };
  // The demo copy's temporary directory is the one thing that differs between two runs (same length).
  result.frames = result.frames.map((f) =>
    f.replace(/epinio-dex-admin-demo-\w{6}/g, 'epinio-dex-admin-demo-XXXXXX'),
  );
  return result;
}

describe('bundle patches', () => {
  // Not a check of the binary: the standalone run (EDA_E2E_BINARY=standalone) leaves it to the npm run.
  const skip = STANDALONE_BIN ? 'the standalone run: this compares bundles, not the binary' : false;
  it('draw exactly the frames the published Ink draws', { skip }, async () => {
    const outfile = join(work, 'inkFrames.mjs');
    await bundleHarness(ROOT, 'test/e2e/lib/inkFrames.tsx', outfile);
    const published = frames(['--import', 'tsx', 'test/e2e/lib/inkFrames.tsx'], join(work, 'published.json'));
    const patched = frames([outfile], join(work, 'patched.json'));
    assert.equal(published.frames.length, published.keys);
    // Every key drew something, and colours were on (the style diffing is exercised).
    assert.ok(published.frames.every((f) => f.length > 0));
    assert.ok(published.frames.some((f) => f.includes('\x1b[3')));
    for (let i = 0; i < published.frames.length; i++) {
      assert.equal(
        JSON.stringify(patched.frames[i]),
        JSON.stringify(published.frames[i]),
        `frame after key ${i}`,
      );
    }
  });
});
