import http from 'node:http';
import { AddressInfo } from 'node:net';

/** The app token the stand-in of App Service's managed identity endpoint hands out (the bot is a UserAssignedMSI bot). */
export const MSI_TOKEN = 'msi-app-token';

/**
 * A stand-in for the Bot Framework token service (token.botframework.com) and for App Service's managed
 * identity endpoint, on loopback: the routes botframework-connector's UserTokenClient calls.
 * `exchange` decides whether Teams' token can be exchanged; every call is counted. `isAppToken` judges the bot's
 * own token on each call (by default, the one its own identity endpoint hands out). `signedInByCard` holds the sign-ins
 * done on the sign-in card's page, by magic code: a token is handed out only once the bot asks with its code (Teams'
 * signin/verifyState), as the token service does.
 */
export async function startTokenService(resource: string, isAppToken: (authorization: string | undefined) => boolean = (authorization) => authorization === `Bearer ${MSI_TOKEN}`) {
  const state = { exchange: 'ok' as 'ok' | 'fail', exchanges: 0, tokens: new Map<string, string>(), signedInByCard: new Map<string, { code: string; token: string }>(), unauthorized: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = Object.fromEntries(url.searchParams);
    const send = (status: number, body?: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (url.pathname === '/msi/token') return send(200, { access_token: MSI_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: q.resource, token_type: 'Bearer' });
    if (!isAppToken(req.headers.authorization)) { state.unauthorized++; return send(401, { error: { code: 'Unauthorized', message: 'no app token' } }); }
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const key = `${q.userId}|${q.connectionName}`;
      switch (url.pathname) {
        case '/api/botsignin/GetSignInResource':
          return send(200, { signInLink: 'https://token.invalid/signin', tokenExchangeResource: { id: 'exchange-resource', uri: resource, providerId: 'aadv2' } });
        case '/api/usertoken/GetToken': {
          const byCard = state.signedInByCard.get(key);
          if (byCard && q.code === byCard.code) {
            state.signedInByCard.delete(key);
            state.tokens.set(key, byCard.token);
          }
          const token = state.tokens.get(key);
          return token ? send(200, { channelId: q.channelId, connectionName: q.connectionName, token, expiration: new Date(Date.now() + 3600_000).toISOString() }) : send(404);
        }
        case '/api/usertoken/exchange': {
          state.exchanges++;
          const teamsToken = (JSON.parse(body || '{}') as { token?: string }).token;
          if (state.exchange === 'fail' || !teamsToken) return send(400, { error: { code: 'ExchangeFailed', message: 'consent_required' } });
          const token = `user-token-of-${q.userId}`;
          state.tokens.set(key, token);
          return send(200, { channelId: q.channelId, connectionName: q.connectionName, token, expiration: new Date(Date.now() + 3600_000).toISOString() });
        }
        case '/api/usertoken/SignOut':
          state.tokens.delete(key);
          return send(200, {});
        default:
          return send(404);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url: base,
    msiEndpoint: `${base}/msi/token`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
