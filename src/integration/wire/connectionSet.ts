import { z } from 'zod';
import type { ConnectionEndpoint, ConnectionSet, ConnectionSetInput, IntegrationKey } from '../port';
import { dataPartitionMappingWireSchema, toDataPartitionMapping, toOrganizationMapping } from './common';

const integrationKeyWireSchema = z.object({
  name: z.string().min(1),
  displayName: z.string().nullish(),
  fields: z.array(z.string().min(1)).min(1),
});

/** One side of a connection set (guessed, unverified); `name` is the PowerApps connection's name. */
const connectionSetEnvironmentWireSchema = z.object({
  name: z.string().min(1),
  targetType: z.string(),
  connectionDisplayName: z.string().nullish(),
  environmentDisplayName: z.string().nullish(),
  powerAppsEnvironment: z.string().min(1),
  directUrl: z.string().nullish(),
  needsIntegrationKey: z.boolean().nullish(),
  schemas: z.array(z.object({ keys: z.array(integrationKeyWireSchema) })).nullish(),
});

/**
 * The body that creates a connection set. The guessed shape keys `environments` by an id we do not
 * know; keying by role (`dynamics365`, `dataverse`) is unverified.
 */
export const connectionSetRequestWireSchema = z.object({
  name: z.string(),
  displayName: z.string().nullish(),
  environments: z.object({
    dynamics365: connectionSetEnvironmentWireSchema,
    dataverse: connectionSetEnvironmentWireSchema,
  }),
  dataPartitionMappings: z.array(dataPartitionMappingWireSchema),
});

/** A stored connection set (guessed, unverified). */
export const connectionSetWireSchema = connectionSetRequestWireSchema.extend({
  id: z.string(),
  owner: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  tenant: z.string().nullish(),
});

/** Wire types, as the sandbox reads and writes them. */
export type ConnectionSetRequestWire = z.infer<typeof connectionSetRequestWireSchema>;
export type ConnectionSetWire = z.input<typeof connectionSetWireSchema>;

type SideWire = z.infer<typeof connectionSetEnvironmentWireSchema>;

const endpointOf = (side: SideWire): ConnectionEndpoint => ({
  connectionName: side.name,
  environmentName: side.powerAppsEnvironment,
});

const keysOf = (side: SideWire): IntegrationKey[] =>
  (side.schemas ?? []).flatMap((s) => s.keys).map((k) => ({ entity: k.name, fields: k.fields }));

/** Converts a stored connection set to the domain type. */
export function toConnectionSet(wire: z.infer<typeof connectionSetWireSchema>): ConnectionSet {
  const { dynamics365, dataverse } = wire.environments;
  return {
    id: wire.id,
    name: wire.name,
    displayName: wire.displayName ?? wire.name,
    owner: wire.owner ?? undefined,
    createdAt: wire.createdDateTime ?? undefined,
    dynamics: endpointOf(dynamics365),
    dataverse: endpointOf(dataverse),
    organizationMappings: wire.dataPartitionMappings.map(toOrganizationMapping),
    integrationKeys: [...keysOf(dynamics365), ...keysOf(dataverse)],
  };
}

/** Builds the create body; integration keys belong to the destination (Dataverse) side. */
export function toConnectionSetRequest(input: ConnectionSetInput): z.input<typeof connectionSetRequestWireSchema> {
  const keys = (input.integrationKeys ?? []).map((k) => ({ name: k.entity, displayName: k.entity, fields: k.fields }));
  const side = (endpoint: ConnectionEndpoint, targetType: string) => ({
    name: endpoint.connectionName,
    targetType,
    powerAppsEnvironment: endpoint.environmentName,
    needsIntegrationKey: keys.length > 0,
  });
  return {
    name: input.name,
    displayName: input.name,
    environments: {
      dynamics365: side(input.dynamics, 'CRM'),
      dataverse: { ...side(input.dataverse, 'CDS'), schemas: keys.length > 0 ? [{ keys }] : [] },
    },
    dataPartitionMappings: input.organizationMappings.map((m) =>
      toDataPartitionMapping(m, { dynamics: input.dynamics.environmentName, dataverse: input.dataverse.environmentName }),
    ),
  };
}
