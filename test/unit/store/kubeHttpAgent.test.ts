// The keep-alive agent of the cluster store (store/kube/http.ts sharedAgent): one agent per TLS
// setting, reused when client-node hands over the same CA, cert and key in new Buffers, and a new
// one when any of them changes (a kubeconfig context switch must never reuse the old credentials).
import { strict as assert } from 'node:assert';
import https from 'node:https';
import { describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from '../../../source/store/kube/http.js';

type AgentOf = (opts: https.RequestOptions) => unknown;

function tls(ca: string | string[], key = 'key-1'): https.RequestOptions {
  return {
    agent: new https.Agent(),
    ca: Array.isArray(ca) ? ca.map((c) => Buffer.from(c)) : Buffer.from(ca),
    cert: Buffer.from('cert-1'),
    key: Buffer.from(key),
  };
}

describe('KubeHttp keep-alive agent', () => {
  const agentOf = (h: KubeHttp): AgentOf => (h as unknown as { sharedAgent: AgentOf }).sharedAgent.bind(h);

  it('reuses one agent for equal credentials in new Buffers, and replaces it when they change', () => {
    const get = agentOf(new KubeHttp({} as KubeConfig, 'https://127.0.0.1:1', 1000, 'test'));
    const first = get(tls('ca-1'));
    assert.ok(first instanceof https.Agent);
    assert.equal(get(tls('ca-1')), first);
    const otherCa = get(tls('ca-2'));
    assert.notEqual(otherCa, first);
    assert.notEqual(get(tls('ca-2', 'key-2')), otherCa);
    const list = get(tls(['ca-1', 'ca-2']));
    assert.equal(get(tls(['ca-1', 'ca-2'])), list);
    assert.notEqual(get(tls(['ca-1', 'ca-3'])), list);
  });

  it('keeps the agent client-node gave when it is not a plain https.Agent (a proxy agent)', () => {
    class ProxyAgent extends https.Agent {}
    const get = agentOf(new KubeHttp({} as KubeConfig, 'https://127.0.0.1:1', 1000, 'test'));
    const proxy = new ProxyAgent();
    assert.equal(get({ ...tls('ca-1'), agent: proxy }), proxy);
  });
});
