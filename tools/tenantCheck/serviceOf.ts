import type { ServiceName } from '../../src/integration/errors';
import type { Exchange } from './exchange';
import { type CompiledRoute, matchRoute } from './routeMatcher';

/** What tells the services apart in a capture besides their path shapes. */
export interface ServiceHints {
  /** `--integrator-host`: the Data Integrator's host name, when the capture does not make it plain. */
  integratorHost?: string;
  /** Known base URLs (a live check knows them); a URL under one belongs to that service. */
  baseUrls?: Partial<Record<ServiceName, string>>;
}

const STATIC = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|woff2?|ttf|eot|html?)$/i;
const SIGN_IN = /(^|\.)(login\.microsoftonline\.com|login\.live\.com|login\.windows\.net|aadcdn\.msftauth\.net|msauth\.net)$/i;
const TELEMETRY = /(^|\.)(events\.data\.microsoft\.com|dc\.services\.visualstudio\.com|applicationinsights\.azure\.com|clarity\.ms|monitor\.azure\.com)$/i;
const INTEGRATOR_AUDIENCE = /^https:\/\/integratorapp\.com\/?$/i;

/** The audience of a bearer token, read without verifying it (only to tell the services apart). */
export function audienceOf(authorization: string | undefined): string | undefined {
  const payload = /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown };
    return typeof claims.aud === 'string' ? claims.aud : undefined;
  } catch {
    return undefined;
  }
}

/** Static files, sign-in and telemetry: never a service call. */
export function isNoise(exchange: Exchange): boolean {
  const { hostname, pathname } = exchange.url;
  return exchange.method === 'OPTIONS' || STATIC.test(pathname) || SIGN_IN.test(hostname) || TELEMETRY.test(hostname) || /\/oauth2\//i.test(pathname);
}

/** The service a call went to, or undefined for anything else (other sites, noise). */
export function serviceOf(exchange: Exchange, integratorRoutes: readonly CompiledRoute[], hints: ServiceHints = {}): ServiceName | undefined {
  if (isNoise(exchange)) return undefined;
  const href = exchange.url.href;
  for (const [service, base] of Object.entries(hints.baseUrls ?? {})) {
    if (base && href.startsWith(base.replace(/\/*$/, '/'))) return service as ServiceName;
  }
  const path = exchange.url.pathname;
  if (/\/providers\/Microsoft\.BusinessAppPlatform\//i.test(path)) return 'bap';
  if (/\/providers\/Microsoft\.PowerApps\//i.test(path)) return 'powerapps';
  if (/\/api\/data\/v\d/i.test(path)) return 'dataverse';
  const host = exchange.url.hostname.toLowerCase();
  if (hints.integratorHost) return host === hints.integratorHost.toLowerCase() ? 'integrator' : undefined;
  if (INTEGRATOR_AUDIENCE.test(audienceOf(exchange.requestHeaders.authorization) ?? '')) return 'integrator';
  if (/projectmanagementservice|integratorapp/i.test(host + path)) return 'integrator';
  return matchRoute(integratorRoutes, exchange.method, path, { anyMethod: true }) ? 'integrator' : undefined;
}
