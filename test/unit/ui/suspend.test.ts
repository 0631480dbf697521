// The order of a suspension, on a fake process: the terminal is restored before the stop, our
// SIGTSTP handler is gone when the stop signal is sent (else it would swallow it), SIGCONT takes
// the terminal back and redraws once; while an editor owns the terminal no handler is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createSuspendControl } from '../../../source/ui/suspend.js';

function fakeProcess(log: string[]) {
  const e = new EventEmitter();
  return Object.assign(e, {
    pid: 4242,
    kill(pid: number, signal: string) {
      log.push(`kill ${pid} ${signal} (tstp handlers: ${e.listenerCount('SIGTSTP')})`);
    },
  });
}

const hooks = (log: string[]) => ({
  restore: () => log.push('restore'),
  reenter: () => log.push('reenter'),
  redraw: () => log.push('redraw'),
});

test('Ctrl+Z: restore, then stop with no handler of ours; SIGCONT: reenter and redraw, handler back', () => {
  const log: string[] = [];
  const proc = fakeProcess(log);
  const c = createSuspendControl(hooks(log), proc);
  assert.equal(proc.listenerCount('SIGTSTP'), 1);
  c.suspend();
  c.suspend(); // a second Ctrl+Z before the stop took effect: nothing more
  assert.deepEqual(log, ['restore', 'kill 4242 SIGTSTP (tstp handlers: 0)']);
  proc.emit('SIGCONT');
  proc.emit('SIGCONT'); // a stray SIGCONT while running: nothing
  assert.deepEqual(log.slice(2), ['reenter', 'redraw']);
  assert.equal(proc.listenerCount('SIGTSTP'), 1);
  c.dispose();
  assert.equal(proc.listenerCount('SIGTSTP') + proc.listenerCount('SIGCONT'), 0);
});

test('kill -TSTP from elsewhere takes the same path', () => {
  const log: string[] = [];
  const proc = fakeProcess(log);
  createSuspendControl(hooks(log), proc);
  proc.emit('SIGTSTP');
  assert.deepEqual(log, ['restore', 'kill 4242 SIGTSTP (tstp handlers: 0)']);
});

test('while the editor owns the terminal: no SIGTSTP handler (the default stop), no restore or redraw', () => {
  const log: string[] = [];
  const proc = fakeProcess(log);
  const c = createSuspendControl(hooks(log), proc);
  c.setHandedOver(true);
  assert.equal(proc.listenerCount('SIGTSTP'), 0);
  c.suspend();
  proc.emit('SIGCONT');
  assert.deepEqual(log, []);
  c.setHandedOver(false);
  assert.equal(proc.listenerCount('SIGTSTP'), 1);
});
