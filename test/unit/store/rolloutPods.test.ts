// The new ReplicaSet of a rollout and its pods' verdicts, from raw API objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  newReplicaSet,
  oldReadyPods,
  podVerdict,
  podsOf,
  type RawPod,
} from '../../../source/store/kube/rolloutPods.js';

const dep = { metadata: { uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '3' } } };
const rs = (name: string, rev: string, uid: string, owner = 'd1', ready = 0) => ({
  metadata: {
    name,
    uid,
    annotations: { 'deployment.kubernetes.io/revision': rev },
    ownerReferences: [{ uid: owner }],
  },
  status: { readyReplicas: ready },
});
const NOW = Date.parse('2026-01-01T00:01:00Z');
const pod = (cs: Record<string, unknown>, phase = 'Running'): RawPod => ({
  metadata: { name: 'dex-abc-1' },
  status: { phase, containerStatuses: [{ name: 'dex', ...cs }] },
});

describe('rollout pods (pure)', () => {
  it("the new ReplicaSet is the Deployment's own with its revision; old ready pods counted from the others", () => {
    const sets = [rs('old', '2', 'r2', 'd1', 1), rs('new', '3', 'r3'), rs('stranger', '3', 'x', 'other')];
    assert.equal(newReplicaSet(dep, sets)?.metadata?.name, 'new');
    assert.equal(newReplicaSet({ metadata: { uid: 'd1' } }, sets), undefined);
    assert.equal(oldReadyPods(dep, sets, sets[1]), 1);
    const pods = [
      { metadata: { name: 'a', ownerReferences: [{ uid: 'r3' }] } },
      { metadata: { name: 'b', ownerReferences: [{ uid: 'r2' }] } },
      { metadata: { name: 'c', ownerReferences: [{ uid: 'r3' }], deletionTimestamp: 'x' } },
    ];
    assert.deepEqual(
      podsOf(sets[1], pods).map((p) => p.metadata?.name),
      ['a'],
    );
  });

  it('verdicts: first crash, CrashLoopBackOff, restarted after a crash, image pull, Failed, not ready after the grace, starting, ready', () => {
    const term = { exitCode: 2, reason: 'Error', message: 'bad config' };
    const v = (p: RawPod) => podVerdict(p, 'dex', NOW, 30_000);
    assert.equal(v(pod({ restartCount: 0, state: { terminated: term } })).state, 'crashLooping');
    const loop = v(
      pod({
        restartCount: 1,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: term },
      }),
    );
    assert.deepEqual(
      [loop.state, loop.previous, loop.terminated?.message],
      ['crashLooping', true, 'bad config'],
    );
    assert.equal(
      v(pod({ restartCount: 1, state: { running: {} }, lastState: { terminated: term } })).state,
      'crashLooping',
    );
    assert.equal(
      v(pod({ state: { waiting: { reason: 'ImagePullBackOff', message: 'no such image' } } })).state,
      'failed',
    );
    assert.equal(v(pod({ state: { terminated: term } }, 'Failed')).state, 'failed');
    const startedAt = new Date(NOW - 45_000).toISOString();
    assert.equal(v(pod({ ready: false, state: { running: { startedAt } } })).state, 'notReady');
    assert.equal(
      v(pod({ ready: false, state: { running: { startedAt: new Date(NOW - 5_000).toISOString() } } })).state,
      'starting',
    );
    assert.equal(v(pod({ ready: true, state: { running: { startedAt } } })).state, 'ready');
    // A clean exit (0) is not a crash; nor is the first ContainerCreating.
    assert.equal(
      v(pod({ state: { waiting: { reason: 'ContainerCreating' } } }, 'Pending')).state,
      'starting',
    );
    assert.equal(v({ metadata: { name: 'p' }, status: { phase: 'Pending' } }).state, 'pending');
  });
});
