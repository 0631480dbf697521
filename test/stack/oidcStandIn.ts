// A stand-in upstream OpenID provider on loopback: only the discovery document and an empty key
// set, which is all Dex's oidc connector fetches when it opens. No login ever reaches it (the
// suites check the redirect Dex builds towards it, not a round trip), so it signs nothing.
import { createServer } from 'node:http';

export interface OidcStandIn {
  issuer: string;
  stop(): Promise<void>;
}

export async function startOidcStandIn(): Promise<OidcStandIn> {
  let issuer = '';
  const server = createServer((req, res) => {
    const json = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/keys`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    if (req.url === '/keys') return json({ keys: [] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  issuer = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
