import { z } from 'zod';
import type { Connection, ConnectorKind } from '../port';

/** The connector API ids Data Integration uses, as they appear in `properties.apiId`. */
export const CONNECTOR_API_IDS: Readonly<Record<ConnectorKind, string>> = {
  dynamics365: '/providers/Microsoft.PowerApps/apis/shared_dynamicscrmonline',
  dataverse: '/providers/Microsoft.PowerApps/apis/shared_commondataservice',
};

/** Connector names by the last segment of apiId; the newer Dataverse connector counts as Dataverse. */
const CONNECTORS_BY_API: Readonly<Record<string, ConnectorKind>> = {
  shared_dynamicscrmonline: 'dynamics365',
  shared_commondataservice: 'dataverse',
  shared_commondataserviceforapps: 'dataverse',
};

/** A connection as the PowerApps admin API returns it (documented). */
export const connectionWireSchema = z.object({
  name: z.string(),
  id: z.string(),
  properties: z.object({
    apiId: z.string(),
    displayName: z.string(),
    createdTime: z.string().nullish(),
    createdBy: z
      .object({ displayName: z.string().nullish(), userPrincipalName: z.string().nullish(), email: z.string().nullish() })
      .nullish(),
    statuses: z.array(z.object({ status: z.string() })).nullish(),
  }),
});

/** A page of connections. */
export const connectionPageWireSchema = z.object({
  value: z.array(connectionWireSchema),
  nextLink: z.url().nullish(),
});

/** Wire type of a connection, as the sandbox writes it. */
export type ConnectionWire = z.input<typeof connectionWireSchema>;

/** The connector of an apiId, or `other`. */
export function connectorOf(apiId: string): Connection['connector'] {
  return CONNECTORS_BY_API[apiId.split('/').pop()?.toLowerCase() ?? ''] ?? 'other';
}

/** Converts a PowerApps connection to the domain type. */
export function toConnection(wire: z.infer<typeof connectionWireSchema>, environmentName: string): Connection {
  const p = wire.properties;
  return {
    name: wire.name,
    id: wire.id,
    environmentName,
    displayName: p.displayName,
    connector: connectorOf(p.apiId),
    apiId: p.apiId,
    createdAt: p.createdTime ?? undefined,
    createdBy: p.createdBy?.userPrincipalName ?? p.createdBy?.email ?? p.createdBy?.displayName ?? undefined,
    connected: (p.statuses ?? []).some((s) => s.status.toLowerCase() === 'connected'),
  };
}
