import { collectPages } from '../http/pages';
import type { HttpClient } from '../http/httpClient';
import type { Connection, ConnectorKind } from '../port';
import { ROUTES, SCOPES } from '../routes';
import { connectionPageWireSchema, toConnection } from '../wire/powerapps';

/** The Power Apps admin API: connections of an environment. */
export class PowerAppsClient {
  constructor(private readonly http: HttpClient, private readonly baseUrl: string) {}

  /** Connections of an environment, optionally only those of one connector. */
  async listConnections(environmentName: string, connector?: ConnectorKind): Promise<Connection[]> {
    const wire = await collectPages(this.http, {
      route: ROUTES.listConnections,
      baseUrl: this.baseUrl,
      scope: SCOPES.powerPlatform,
      schema: connectionPageWireSchema,
      params: { environmentName },
    });
    const connections = wire.map((c) => toConnection(c, environmentName));
    return connector ? connections.filter((c) => c.connector === connector) : connections;
  }
}
