import { createPublicKey } from 'node:crypto';
import { AuthenticationConstants } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { IOpenIdMetadataKey, OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { z } from 'zod';
import type { Logger } from '../logger';

/** Thrown when no signing key has ever been fetched and the metadata endpoint cannot be reached: the request gets 503. */
export class SigningKeysUnavailable extends Error {
  override readonly name = 'SigningKeysUnavailable';
}

const metadataSchema = z.object({ jwks_uri: z.url() });
const jwksSchema = z.object({
  keys: z.array(z.object({ kid: z.string(), kty: z.string(), n: z.string().optional(), e: z.string().optional(), endorsements: z.array(z.string()).optional() }).loose()),
});

/** How the cache refreshes; tests shorten the clock. */
export interface SigningKeyOptions {
  /** Where the OpenID metadata is fetched (default: Bot Framework's public one). */
  metadataUrl?: string;
  /** Deadline of each fetch. */
  timeoutMs: number;
  logger?: Logger;
  /** Keys older than this are refreshed (the SDK's 24 h). */
  refreshMs?: number;
  /** An unknown key id refreshes at most this often (Bot Framework rotates keys with overlap). */
  unknownKidRefreshMs?: number;
  /** After a failed refresh, requests are not held up by another attempt for this long. */
  failureBackoffMs?: number;
  now?: () => number;
}

/**
 * The Bot Framework signing keys, fetched with a deadline and kept when a refresh fails. The SDK's
 * own cache (24 h) throws once a refresh fails, so an outage of the metadata endpoint after a day
 * would turn every request into an error; this one keeps serving the keys it has, and with none
 * it fails fast (SigningKeysUnavailable) instead of holding each request.
 */
export class ResilientSigningKeys extends OpenIdMetadata {
  private cached = new Map<string, IOpenIdMetadataKey>();
  private fetchedAt = 0;
  private failedAt = -Infinity;
  private refreshing?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: SigningKeyOptions) {
    super(options.metadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl);
    this.now = options.now ?? Date.now;
  }

  override async getKey(keyId: string): Promise<IOpenIdMetadataKey | null> {
    const age = this.now() - this.fetchedAt;
    const stale = age > (this.options.refreshMs ?? 24 * 3_600_000);
    const unknown = !this.cached.has(keyId) && age > (this.options.unknownKidRefreshMs ?? 300_000);
    if (stale || unknown) await this.refresh();
    return this.cached.get(keyId) ?? null;
  }

  private async refresh(): Promise<void> {
    if (this.now() - this.failedAt < (this.options.failureBackoffMs ?? 10_000)) return this.unavailableUnlessCached();
    this.refreshing ??= this.fetchKeys().finally(() => { this.refreshing = undefined; });
    try {
      await this.refreshing;
    } catch (err) {
      this.failedAt = this.now();
      this.options.logger?.warn({ err: String(err), cachedKeys: this.cached.size }, 'Bot Framework signing keys could not be refreshed');
      this.unavailableUnlessCached();
    }
  }

  private unavailableUnlessCached(): void {
    if (this.cached.size === 0) throw new SigningKeysUnavailable('The Bot Framework signing keys cannot be fetched right now');
  }

  private async fetchKeys(): Promise<void> {
    const get = async (url: string) => {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return res.json() as Promise<unknown>;
    };
    const { jwks_uri } = metadataSchema.parse(await get(this.options.metadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl));
    const { keys } = jwksSchema.parse(await get(jwks_uri));
    const rsa = keys.filter((k) => k.kty === 'RSA' && k.n && k.e);
    this.cached = new Map(rsa.map((k) => [k.kid, {
      key: createPublicKey({ key: { kty: 'RSA', n: k.n!, e: k.e! }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(),
      endorsements: k.endorsements,
    }]));
    this.fetchedAt = this.now();
    this.options.logger?.info({ keys: this.cached.size }, 'Bot Framework signing keys fetched');
  }
}

/**
 * Makes the SDK validate channel tokens with `keys`: its JwtTokenExtractor keeps one metadata
 * object per URL in a static map, consulted whenever it validates a token from that URL.
 */
export function installSigningKeys(keys: OpenIdMetadata, sdkUrl = AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl): void {
  (JwtTokenExtractor as unknown as { openIdMetadataCache: Map<string, OpenIdMetadata> }).openIdMetadataCache.set(sdkUrl, keys);
}
