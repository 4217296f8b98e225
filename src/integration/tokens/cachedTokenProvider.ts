import type { TokenProvider } from '../port';

/** A token and when it stops being valid (epoch milliseconds; absent when unknown). */
export interface ExpiringToken {
  token: string;
  expiresOnTimestamp?: number;
}

/** How a cached provider obtains a fresh token for a scope; `forceRefresh` follows a 401. */
export type TokenSource = (scope: string, options: { forceRefresh: boolean }) => Promise<ExpiringToken>;

/** Tokens are renewed this long before they expire, so that a call never starts with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Without a known expiry a token is kept this long. */
const UNKNOWN_EXPIRY_MS = 10 * 60_000;

/** Caches one token per scope until ~5 minutes before expiry; concurrent callers share one request. */
export class CachedTokenProvider implements TokenProvider {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly source: TokenSource, private readonly now: () => number = Date.now) {}

  /** Returns a cached token while it is fresh; `forceRefresh` always asks the source. */
  getToken(scope: string, options?: { forceRefresh?: boolean }): Promise<string> {
    const cached = this.cache.get(scope);
    if (!options?.forceRefresh) {
      if (cached && cached.renewAt > this.now()) return Promise.resolve(cached.token);
      const pending = this.pending.get(scope);
      if (pending) return pending;
    }
    const request = this.fetch(scope, options?.forceRefresh ?? false).finally(() => this.pending.delete(scope));
    this.pending.set(scope, request);
    return request;
  }

  private async fetch(scope: string, forceRefresh: boolean): Promise<string> {
    const { token, expiresOnTimestamp } = await this.source(scope, { forceRefresh });
    if (!token) throw new Error(`No token was issued for ${scope}`);
    const renewAt = expiresOnTimestamp === undefined ? this.now() + UNKNOWN_EXPIRY_MS : expiresOnTimestamp - REFRESH_MARGIN_MS;
    this.cache.set(scope, { token, renewAt });
    return token;
  }
}
