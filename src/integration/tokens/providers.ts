import type { TokenCredential } from '@azure/identity';
import type { TokenHolder } from '../errors';
import type { TokenProvider } from '../port';
import { CachedTokenProvider, type ExpiringToken } from './cachedTokenProvider';

/** Local mode: the same non-empty token for every scope (the sandbox accepts any). */
export function staticTokenProvider(token = 'local-sandbox-token'): TokenProvider {
  return { getToken: async () => token };
}

/**
 * Any @azure/identity credential, cached per scope until ~5 minutes before expiry. A forced refresh
 * asks the credential again; MSAL may still hand back its own cached token until that one expires.
 */
export function credentialTokenProvider(credential: TokenCredential, now?: () => number, timeoutMs = 10_000): TokenProvider {
  return new CachedTokenProvider(async (scope) => {
    // Entra ID sets no deadline of its own: a token endpoint that never answers would hold the turn.
    const accessToken = await credential.getToken(scope, { abortSignal: AbortSignal.timeout(timeoutMs) });
    if (!accessToken) throw new Error(`The credential returned no token for ${scope}`);
    return accessToken;
  }, now);
}

/** How the app itself signs in: a client secret, or a (user-assigned) managed identity. */
export type AppCredentialOptions =
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'managedIdentity'; clientId?: string };

/**
 * App-only tokens (BAP, Power Apps, Dataverse); the Data Integrator is only shown to accept user tokens. The credential
 * is made with the first token: @azure/identity and its MSAL are about 1 MB the start need not load.
 */
export function appTokenProvider(options: AppCredentialOptions): TokenProvider {
  let credential: TokenCredential | undefined;
  const make = (): TokenCredential => {
    const { ClientSecretCredential, ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
    return options.kind === 'clientSecret'
      ? new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret)
      : new ManagedIdentityCredential(options.clientId ? { clientId: options.clientId } : {});
  };
  return heldBy('bot', credentialTokenProvider({ getToken: (scope, opts) => (credential ??= make()).getToken(scope, opts) }));
}

/** `provider`, saying that its tokens are `holder`'s. */
function heldBy(holder: TokenHolder, provider: TokenProvider): TokenProvider {
  return { getToken: (scope, options) => provider.getToken(scope, options), holder: () => holder };
}

/** Reads a person's token that the bot holds (its OAuth connection); undefined when they are not signed in. */
export type UserTokenFetch = (options: { forceRefresh: boolean }) => Promise<{ token: string; expiresOn?: string | Date } | undefined>;

/** A user token the bot already holds (its OAuth connection), valid for one scope only. */
export function userTokenProvider(scope: string, fetchUserToken: UserTokenFetch, now?: () => number): TokenProvider {
  return heldBy('person', new CachedTokenProvider(async (requested, options): Promise<ExpiringToken> => {
    if (requested !== scope) throw new Error(`The user's token is for ${scope}, not ${requested}`);
    const result = await fetchUserToken(options);
    if (!result?.token) throw new Error('The user is not signed in: ask them to sign in to Data Integration');
    return { token: result.token, expiresOnTimestamp: result.expiresOn ? new Date(result.expiresOn).getTime() : undefined };
  }, now));
}

/** Routes each scope to a provider, e.g. the user's token for the Data Integrator and the app's elsewhere. */
export function scopedTokenProvider(byScope: Readonly<Record<string, TokenProvider>>, fallback: TokenProvider): TokenProvider {
  const of = (scope: string) => byScope[scope] ?? fallback;
  return { getToken: (scope, options) => of(scope).getToken(scope, options), holder: (scope) => of(scope).holder?.(scope) };
}
