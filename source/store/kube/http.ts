// A small REST client over node:http(s). client-node still supplies the TLS material and the
// credentials (tokens, client certs, exec and OIDC plugins via applyToHTTPSOptions); this layer adds
// what the generated client makes awkward: one deadline per request that really aborts (connect,
// TLS, headers and body), raw status codes for precondition handling, and typed errors.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { debug } from '../../debug.js';
import { ForbiddenError, InvalidError, NotFoundError, StoreError } from '../errors.js';

export interface Target {
  /** What the request does, for error messages: `kubectl auth can-i <verb> <resource>/<name>`. */
  verb: string;
  resource: string;
  name?: string;
  namespace: string;
  /** Explanation shown when the object does not exist. */
  notFound?: string;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  /** Statuses returned to the caller instead of thrown (e.g. 409 for conflict handling). */
  allow?: number[];
  /** JSON.parse reviver for the response body: drops secret fields at the first parse (dexStorage.ts). */
  reviver?: (key: string, value: unknown) => unknown;
}

export interface Response<T = unknown> {
  status: number;
  body: T;
}

interface K8sStatus {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

class RequestTimeout extends Error {}

export class KubeHttp {
  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    readonly timeoutMs: number,
    readonly contextName: string,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    target: Target,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.send(method, path, options));
    } catch (err) {
      const mapped = this.networkError(err);
      debug(`${method} ${path} failed after ${Date.now() - started}ms: ${mapped.message}`);
      throw mapped;
    }
    debug(`${method} ${path} -> ${status} (${Date.now() - started}ms)`);
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text, options.reviver);
      } catch {
        // A body parsed for its secrets' sake is never kept as raw text (it could hold them).
        body = options.reviver ? undefined : text;
      }
    }
    if (status < 400 || options.allow?.includes(status)) return { status, body: body as T };
    throw this.statusError(status, body, target);
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(this.server + path);
    const headers: Record<string, string> = { Accept: 'application/json' };
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const opts: https.RequestOptions = { method, headers };
    try {
      // Adds CA, client cert/key, bearer token (running exec/OIDC plugins as needed) and an agent.
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new StoreError(
        'BadKubeconfig',
        `cannot prepare credentials for context "${this.contextName}": ${err instanceof Error ? err.message : String(err)}`,
        'check the user entry of this context in your kubeconfig (exec plugin, token, certificates)',
      );
    }
    if (url.protocol === 'https:') opts.agent = this.sharedAgent(opts);
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, value?: { status: number; text: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value!);
      };
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish(undefined, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (e) => finish(e));
        res.on('aborted', () => finish(new Error('the connection closed mid-response')));
      });
      // One deadline for the whole exchange: a server that accepts the connection and never answers
      // (or stalls mid-body) must not hang the tool.
      const timer = setTimeout(() => {
        const e = new RequestTimeout();
        finish(e);
        req.destroy(e);
      }, this.timeoutMs);
      req.on('error', (e) => finish(e));
      if (payload) req.write(payload);
      req.end();
    });
  }

  private agent: { key: string; agent: https.Agent } | undefined;

  /**
   * client-node hands out a new Agent per request: a new TLS context (CA parsed again) and a new
   * handshake every time. One keep-alive agent per TLS setting reuses both across the snapshot's
   * parallel reads and every page of a list. Proxy agents (a subclass) are left alone.
   */
  private sharedAgent(opts: https.RequestOptions): https.Agent | http.Agent | boolean | undefined {
    if (!opts.agent || opts.agent.constructor !== https.Agent) return opts.agent;
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = opts;
    // Buffers as base64 before JSON.stringify: it calls Buffer's toJSON before any replacer, which
    // spelled every byte of the CA, cert and key as a number array (measured: ~15 ms per start).
    const text = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
    const id = JSON.stringify(
      [ca, cert, key, pfx, passphrase, rejectUnauthorized, servername].map((v) =>
        Array.isArray(v) ? v.map(text) : text(v),
      ),
    );
    if (this.agent?.key !== id) {
      this.agent?.agent.destroy();
      this.agent = {
        key: id,
        agent: new https.Agent({ ...(opts.agent as https.Agent).options, keepAlive: true }),
      };
    }
    return this.agent.agent;
  }

  private networkError(err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    if (err instanceof RequestTimeout) {
      const seconds = Math.round((this.timeoutMs / 1000) * 10) / 10;
      return new StoreError(
        'Timeout',
        `no answer from ${this.server} within ${seconds}s (--request-timeout)`,
        'check that the cluster is reachable (VPN, proxy), or allow more time with --request-timeout',
      );
    }
    const e = err as NodeJS.ErrnoException;
    const code = typeof e?.code === 'string' ? e.code : '';
    const reason = e instanceof Error ? e.message : String(err);
    if (TLS_CODES.test(code) || /certificate|TLS|SSL/i.test(reason)) {
      return new StoreError(
        'Unreachable',
        `cannot reach the API server at ${this.server}: TLS error: ${reason}`,
        "check the cluster's certificate-authority in your kubeconfig",
      );
    }
    if (NETWORK_CODES.has(code)) {
      return new StoreError(
        'Unreachable',
        `cannot reach the API server at ${this.server}: ${code}${reason && !reason.startsWith(code) ? ` (${reason})` : ''}`,
        `check the server address of context "${this.contextName}" and your network (VPN, proxy)`,
      );
    }
    return new StoreError(
      'Unreachable',
      `cannot reach the API server at ${this.server}: ${reason}`,
      `check the server address of context "${this.contextName}"`,
    );
  }

  private statusError(status: number, body: unknown, target: Target): StoreError {
    const st = (typeof body === 'object' && body !== null ? body : {}) as K8sStatus;
    const message = st.message ?? (typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`);
    switch (status) {
      case 401:
        return new StoreError(
          'Unauthorized',
          `unauthorized: the API server at ${this.server} rejected the credentials of context "${this.contextName}"`,
          'credentials expired or invalid: refresh your kubeconfig login',
        );
      case 403:
        return new ForbiddenError(target.verb, target.resource, target.name, target.namespace, message);
      case 404:
        return new NotFoundError(
          target.resource,
          target.name ?? target.resource,
          target.namespace,
          target.notFound ?? 'it may have been deleted meanwhile; reload',
        );
      case 409:
        return new StoreError('Conflict', `conflict: ${message}`, 'reload and try again');
      case 422:
        return new InvalidError(
          message,
          (st.details?.causes ?? []).map((c) => ({ field: c.field, message: c.message ?? c.reason ?? '' })),
        );
      default:
        return new StoreError(
          'ServerError',
          `the API server at ${this.server} answered ${status} to ${target.verb} ${target.resource}${target.name ? ` "${target.name}"` : ''}: ${message}`,
          status >= 500 ? 'the cluster may be overloaded or restarting; try again shortly' : undefined,
        );
    }
  }
}
