export { CachedTokenProvider, REFRESH_MARGIN_MS } from './cachedTokenProvider';
export type { ExpiringToken, TokenSource } from './cachedTokenProvider';
export {
  appTokenProvider,
  credentialTokenProvider,
  scopedTokenProvider,
  staticTokenProvider,
  userTokenProvider,
} from './providers';
export type { AppCredentialOptions, UserTokenFetch } from './providers';
