import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * `credential`, with concurrent getToken calls for the same scopes (and tenant, claims, CAE) sharing one request in
 * flight. Each storage client's bearer-token policy asks on its own: at the start the six clients ask at the same
 * moment, before any answer could fill MSAL's cache, so App Service's identity endpoint got six requests (and as many
 * at each refresh near expiry). The request is dropped once it settles: tokens stay cached by MSAL only, and a failure
 * is not kept (the next call asks again). It gets no caller's abortSignal (one caller giving up must not fail the
 * others; ManagedIdentityCredential does not hand it to MSAL anyway): each caller stops waiting at its own.
 */
export function sharedTokenRequests(credential: TokenCredential): TokenCredential {
  const inFlight = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
      if (options.abortSignal?.aborted) return Promise.reject(abortReason(options.abortSignal));
      const key = JSON.stringify([[scopes].flat().sort(), options.tenantId, options.claims, options.enableCae]);
      let request = inFlight.get(key);
      if (!request) {
        request = credential.getToken(scopes, { ...options, abortSignal: undefined }).finally(() => inFlight.delete(key));
        inFlight.set(key, request);
      }
      return waitFor(request, options.abortSignal);
    },
  };
}

type Signal = NonNullable<GetTokenOptions['abortSignal']>;

/** Why the caller gave up: the signal's reason when it has one (an AbortSignal's), else an AbortError. */
const abortReason = (signal: Signal): unknown => (signal as { reason?: unknown }).reason ?? new DOMException('The token request was aborted.', 'AbortError');

/** `promise`, or its caller's abort: the shared request goes on for the others. */
function waitFor<T>(promise: Promise<T>, signal: Signal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(abortReason(signal));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
