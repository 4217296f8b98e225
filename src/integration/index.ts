export * from './port';
export * from './tokens';
export { ROUTES, SCOPES } from './routes';
export { loadRouteOverrides, RouteOverrideError, routesFileToRead, type RouteTable } from './routeOverrides';
export { createDataIntegration, DataIntegrationClients, serviceBaseUrls } from './dataIntegrationClients';
export type { ClientOwner, DataIntegrationBaseUrls, DataIntegrationOptions, OwnerTokenSource, PersonTokenSources } from './dataIntegrationClients';
