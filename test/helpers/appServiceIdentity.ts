import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One token request the stand-in took: what was asked for, whether the platform's header came with it, what it gave. */
export interface IdentityRequest { resource: string | null; clientId: string | null; apiVersion: string | null; headerOk: boolean; token?: string }

/**
 * What the endpoint does: hand out tokens; answer as App Service does for an identity the Web App does not have;
 * or hand out tokens for the wrong audience (a token storage must refuse).
 */
export type IdentityMode = 'ok' | 'noSuchIdentity' | 'wrongAudience';

const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * A stand-in for App Service's managed identity endpoint (IDENTITY_ENDPOINT and IDENTITY_HEADER, protocol
 * 2019-08-01), on loopback as App Service runs it. Its tokens have the shape of Entra ID's (a JWT with issuer,
 * audience and lifetime; the signature is random bytes), which is what Azurite's basic OAuth reads.
 */
export async function startAppServiceIdentity(tenant = '99999999-8888-7777-6666-555555555555') {
  const state = { mode: 'ok' as IdentityMode, requests: [] as IdentityRequest[] };
  const header = `identity-header-${randomBytes(12).toString('hex')}`;
  const mint = (aud: string | null, appid: string | null) => {
    const now = Math.floor(Date.now() / 1000);
    return { expiresOn: now + 3600, token: `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud, iss: `https://sts.windows.net/${tenant}/`, iat: now - 60, nbf: now - 60, exp: now + 3600, appid })}.${randomBytes(64).toString('base64url')}` };
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    const request: IdentityRequest = { resource: q.get('resource'), clientId: q.get('client_id'), apiVersion: q.get('api-version'), headerOk: req.headers['x-identity-header'] === header };
    state.requests.push(request);
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!request.headerOk || url.pathname !== '/msi/token') return send(401, { statusCode: 401, message: 'Unauthorized' });
    if (state.mode === 'noSuchIdentity') {
      return send(400, { statusCode: 400, message: 'No managed identity found for specified ClientId/ResourceId/PrincipalId.', correlationId: randomBytes(8).toString('hex') });
    }
    const { token, expiresOn } = mint(state.mode === 'wrongAudience' ? 'https://vault.azure.net' : request.resource, request.clientId);
    request.token = token;
    send(200, { access_token: token, expires_on: String(expiresOn), resource: request.resource, token_type: 'Bearer', client_id: request.clientId });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    /** Every token handed out, for `resource` only when it is given. */
    issued: (resource?: string) => state.requests.flatMap((r) => (r.token && (resource === undefined || r.resource === resource) ? [r.token] : [])),
    /** The two app settings App Service gives a Web App with a managed identity. */
    /** A token for `resource` as the endpoint would issue it, for the test's own reads (not counted). */
    token: (resource: string) => mint(resource, null).token,
    env: { IDENTITY_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`, IDENTITY_HEADER: header },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
