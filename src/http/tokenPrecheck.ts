import { AuthenticationConstants } from 'botframework-connector';
import { z } from 'zod';

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
export function tokenProblem(authorization: string, expected: TokenExpectations): string | undefined {
  const parts = JWT.exec(authorization);
  if (!parts) return 'not a signed JWT bearer token';
  const header = headerSchema.safeParse(decodePart(parts[1]));
  const payload = payloadSchema.safeParse(decodePart(parts[2]));
  if (!header.success || !payload.success) return 'the token header or payload is not JSON';
  if (!AuthenticationConstants.AllowedSigningAlgorithms.includes(header.data.alg)) return `signing algorithm ${header.data.alg.slice(0, 20)} is not accepted`;
  if (!header.data.kid) return 'the token names no signing key';
  const claims = payload.data;
  if (claims.iss !== (expected.issuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer)) return 'the token is not issued by the Bot Framework';
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.appId)) return 'the token is for another app';
  const now = (expected.now ?? Date.now)() / 1000;
  const tolerance = expected.clockToleranceSeconds ?? 300;
  if (claims.exp === undefined || claims.exp + tolerance < now) return 'the token has expired';
  if (claims.nbf !== undefined && claims.nbf - tolerance > now) return 'the token is not valid yet';
  return undefined;
}
