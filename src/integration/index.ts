export * from './port';
export * from './tokens';
export { ROUTES, SCOPES } from './routes';
export { loadRouteOverrides, RouteOverrideError, type RouteTable } from './routeOverrides';
export { createDataIntegration } from './createDataIntegration';
export type { DataIntegrationBaseUrls, DataIntegrationOptions } from './createDataIntegration';
export { DataIntegrationClients, serviceBaseUrls } from './dataIntegrationClients';
