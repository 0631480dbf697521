// The TUI's exit supervision: a crash while React renders must end the program with status 1 and
// one "internal error" line, not silently with status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import React from 'react';
import { render, Text } from 'ink';
import { internalErrorLine, waitForExit } from '../../../source/ui/run.js';

const never = new Promise<never>(() => {});

test('waitForExit: the app asking to exit gives its code', async () => {
  assert.deepEqual(await waitForExit(Promise.resolve(130), never), { code: 130 });
});

test('waitForExit: Ink rejecting (render crash) gives status 1 and the error', async () => {
  const err = new Error('boom');
  const outcome = await waitForExit(never, Promise.reject(err));
  assert.equal(outcome.code, 1);
  assert.equal(outcome.error, err);
});

test('internalErrorLine: one sanitized line, no stack', () => {
  const err = new Error('bad \x1b]0;title\x07thing\nsecond line');
  const line = internalErrorLine(err);
  assert.equal(line, 'epinio-dex-admin: internal error: bad thing second line');
  assert.doesNotMatch(line, /\n| at /);
});

class FakeStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = true;
  write(): boolean {
    return true;
  }
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  setRawMode(): void {}
  setEncoding(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

function Crashing(props: { crash: boolean }): React.ReactElement {
  if (props.crash) throw new Error('render crash in a component');
  return <Text>fine</Text>;
}

test('a component throwing during a render ends the wait with the error (real Ink instance)', async () => {
  const stdout = new FakeStdout();
  const instance = render(<Crashing crash={false} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  const outcome = waitForExit(never, instance.waitUntilExit());
  instance.rerender(<Crashing crash />);
  const settled = await Promise.race([
    outcome,
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), 3000)),
  ]);
  assert.notEqual(settled, 'hung', 'the crash ends the wait');
  if (settled === 'hung') return;
  assert.equal(settled.code, 1);
  assert.match(String((settled.error as Error).message), /render crash in a component/);
});
