// A deliberately small Kubernetes REST client on node:https. Fixtures and tests use it as "an
// independent client": it shares no code with the store under test, so a bug in the store cannot
// hide itself by also being in the harness.
import { request } from 'node:https';

/** Default body type: tests read arbitrary API fields (`body.reason`, `body.metadata...`), and a
 *  full Kubernetes type model would be a second client to maintain. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface KubeResponse<T = AnyJson> {
  status: number;
  /** Parsed JSON when the server answered JSON, else the raw text. */
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface KubeClient {
  readonly server: string;
  readonly user: string;
  request<T = AnyJson>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<KubeResponse<T>>;
  get<T = AnyJson>(path: string): Promise<KubeResponse<T>>;
  post<T = AnyJson>(path: string, body: unknown): Promise<KubeResponse<T>>;
  put<T = AnyJson>(path: string, body: unknown): Promise<KubeResponse<T>>;
  /** Merge patch unless told otherwise. */
  patch<T = AnyJson>(path: string, body: unknown, type?: PatchType): Promise<KubeResponse<T>>;
  delete<T = AnyJson>(path: string, body?: unknown): Promise<KubeResponse<T>>;
}

/** `ca` undefined means the system trust store (only useful to show that it is not enough). */
export function kubeClient(options: {
  server: string;
  token: string;
  ca?: string;
  user: string;
}): KubeClient {
  const base = new URL(options.server);
  const send = <T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<KubeResponse<T>> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          ca: options.ca,
          headers: {
            Authorization: `Bearer ${options.token}`,
            Accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                // keep the raw text: the caller sees what the server really said
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    server: options.server,
    user: options.user,
    request: send,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    patch: (path, body, type = 'merge') => send('PATCH', path, body, PATCH_CONTENT_TYPE[type]),
    delete: (path, body) => send('DELETE', path, body),
  };
}

/** Throws with the server's message unless the status is 2xx (fixture setup must not half-succeed). */
export function expectOk<T>(res: KubeResponse<T>, what: string): T {
  if (res.status < 200 || res.status > 299) {
    const msg =
      typeof res.body === 'object' && res.body && 'message' in res.body
        ? (res.body as { message: string }).message
        : String(res.body);
    throw new Error(`${what}: HTTP ${res.status}: ${msg}`);
  }
  return res.body;
}
