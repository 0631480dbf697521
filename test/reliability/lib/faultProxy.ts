// A tiny fault-injecting HTTP proxy in front of the shared kube-apiserver, like `kubectl proxy`:
// the store under test talks plain HTTP to loopback, the proxy forwards over TLS with the admin
// token. A rule decides per request: pass it on, reset the connection without forwarding, never
// answer (stall), answer 500, or start a 200 and stall mid-body. `down()` stops listening (the
// "server stopped" case: connection refused), `up()` listens again on the same port.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { getStackInfo } from '../../stack/env.js';

export type Fault = 'pass' | 'reset' | 'stall' | '500' | 'stallBody';
export type Rule = (method: string, path: string) => Fault;

export interface SeenRequest {
  method: string;
  path: string;
  fault: Fault;
}

export class FaultProxy {
  rule: Rule = () => 'pass';
  readonly seen: SeenRequest[] = [];
  /** Requests forwarded to the real server that changed something (anything but GET). */
  forwardedWrites = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor() {}

  static async start(): Promise<FaultProxy> {
    const p = new FaultProxy();
    await p.up();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig for the store: plain http to the proxy, no credentials (the proxy adds them). */
  kubeconfig(dir: string, namespace: string): string {
    const file = join(dir, `kubeconfig-proxy-${this.port}.yaml`);
    const cfg = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'proxy', cluster: { server: this.url } }],
      users: [{ name: 'proxy', user: {} }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy', namespace } }],
      'current-context': 'proxy',
    };
    writeFileSync(file, JSON.stringify(cfg, null, 2), { mode: 0o600 });
    return file;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const fault = this.rule(method, path);
    this.seen.push({ method, path, fault });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      switch (fault) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'stall':
          return; // never answers; the client's deadline must fire
        case '500':
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(
            JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: 'etcdserver: request timed out (injected)',
              reason: 'InternalError',
              code: 500,
            }),
          );
          return;
        case 'stallBody':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"kind":"Secret","apiVersion":"v1","metadata":{');
          return; // the rest never comes
        case 'pass':
          this.forward(method, path, req.headers['content-type'], Buffer.concat(chunks), res);
      }
    });
  }

  private forward(
    method: string,
    path: string,
    contentType: string | undefined,
    body: Buffer,
    res: ServerResponse,
  ): void {
    const info = getStackInfo();
    const target = new URL(info.server);
    if (method !== 'GET') this.forwardedWrites++;
    const up = httpsRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        ca: readFileSync(info.caFile, 'utf8'),
        headers: {
          Authorization: `Bearer ${info.tokens.admin}`,
          Accept: 'application/json',
          ...(body.length
            ? { 'Content-Type': contentType ?? 'application/json', 'Content-Length': body.length }
            : {}),
        },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, {
          'Content-Type': upRes.headers['content-type'] ?? 'application/json',
        });
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    up.end(body);
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  /** Stops listening and drops every open connection: new requests get ECONNREFUSED. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.down();
  }
}
