// A counting HTTP proxy on loopback: plain http in front, the test API server (https, pinned CA)
// behind. The store under test talks to it through a kubeconfig whose server is the proxy, so
// every request the store makes is counted at the wire, whatever its HTTP layer does.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface CountedRequest {
  method: string;
  path: string;
  status: number;
}

export interface CountingProxy {
  url: string;
  log: CountedRequest[];
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string, ca: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new https.Agent({ keepAlive: true, ca });
  const log: CountedRequest[] = [];
  const server = http.createServer((req, res) => {
    const up = https.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (upRes) => {
        log.push({ method: req.method ?? '?', path: req.url ?? '', status: upRes.statusCode ?? 0 });
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', (err) => {
      log.push({ method: req.method ?? '?', path: req.url ?? '', status: 502 });
      res.writeHead(502).end(String(err));
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
