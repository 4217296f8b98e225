import { AuthenticationError } from 'botframework-connector';
import { SigningKeysUnavailable } from '../teams/signingKeys';
import type { Refusal } from './requestGuards';
import { ENGLISH } from '../words/words';

/** How long a caller should wait when the signing keys cannot be had (Bot Framework channels retry). */
export const KEYS_RETRY_AFTER_SECONDS = 30;

// jsonwebtoken's errors for a bad signature, a token used too early or too late.
const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** The answer to a request whose processing threw before the turn could handle it. */
export function turnFailureAnswer(err: unknown): Refusal & { log: string } {
  const statusCode = err instanceof AuthenticationError ? Number(err.statusCode) : undefined;
  if (statusCode === 401 || (err instanceof Error && JWT_ERRORS.has(err.name))) {
    return { status: 401, error: ENGLISH.reply('error.http.unauthorized'), log: 'unauthenticated request refused' };
  }
  // The SDK reports a failed key fetch as an AuthenticationError with status 500.
  if (err instanceof SigningKeysUnavailable || statusCode === 500) {
    return {
      status: 503, error: ENGLISH.reply('error.http.keysUnavailable'),
      headers: { 'retry-after': String(KEYS_RETRY_AFTER_SECONDS) }, log: 'signing keys unavailable: request answered 503',
    };
  }
  return { status: 500, error: ENGLISH.reply('error.http.internal'), log: 'turn failed' };
}
