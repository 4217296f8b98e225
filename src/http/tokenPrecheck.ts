import { AuthenticationConstants } from 'botframework-connector';
import { z } from 'zod';
import { said, type Said } from '../words/words';

/** What a Bot Framework channel token must say about itself, before its signature is checked. */
export interface TokenExpectations {
  /** The bot's app id: the token's audience. */
  appId: string;
  /** Teams sends tokens of the Bot Framework channel service only (no emulator, no skills). */
  issuer?: string;
  /** Clock skew allowed on exp and nbf, as the SDK allows (5 minutes). */
  clockToleranceSeconds?: number;
  now?: () => number;
}

const JWT = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const headerSchema = z.object({ alg: z.string(), kid: z.string().min(1).max(200).optional() }).loose();
const payloadSchema = z.object({
  iss: z.unknown(),
  aud: z.unknown(),
  exp: z.number().optional(),
  nbf: z.number().optional(),
}).loose();

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why this Authorization header cannot carry a Bot Framework token (not a signed JWT, an algorithm
 * other than RS256/384/512, no key id, another issuer or audience, expired), or undefined when it
 * might: only then is it worth fetching signing keys to check its signature.
 */
export function tokenProblem(authorization: string, expected: TokenExpectations): Said | undefined {
  const parts = JWT.exec(authorization);
  if (!parts) return said('http.token.notJwt');
  const header = headerSchema.safeParse(decodePart(parts[1]));
  const payload = payloadSchema.safeParse(decodePart(parts[2]));
  if (!header.success || !payload.success) return said('http.token.notJson');
  if (!AuthenticationConstants.AllowedSigningAlgorithms.includes(header.data.alg)) return said('http.token.algorithm', { alg: header.data.alg.slice(0, 20) });
  if (!header.data.kid) return said('http.token.noKey');
  const claims = payload.data;
  if (claims.iss !== (expected.issuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer)) return said('http.token.issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.appId)) return said('http.token.audience');
  const now = (expected.now ?? Date.now)() / 1000;
  const tolerance = expected.clockToleranceSeconds ?? 300;
  if (claims.exp === undefined || claims.exp + tolerance < now) return said('http.token.expired');
  if (claims.nbf !== undefined && claims.nbf - tolerance > now) return said('http.token.notYet');
  return undefined;
}
