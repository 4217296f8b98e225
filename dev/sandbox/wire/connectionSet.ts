import { z } from 'zod';
import type { DocumentWire } from './common';
import { type PartitionWire, partitionRequestSchema } from './partition';

/** An integration key the request declares for a destination table: the fields that identify a row. */
const keyRequestSchema = z.object({ name: z.string().min(1), fields: z.array(z.string().min(1)).min(1) });

/** One side of a requested connection set: a PowerApps connection in an environment. */
const sideRequestSchema = z.object({
  name: z.string().min(1),
  targetType: z.string(),
  powerAppsEnvironment: z.string().min(1),
  schemas: z.array(z.object({ keys: z.array(keyRequestSchema) })).nullish(),
});

/** What `PUT api/ConnectionSet/{connectionSetName}` accepts; the sides are keyed by role. */
export const connectionSetRequestSchema = z.object({
  name: z.string(),
  environments: z.object({ dynamics365: sideRequestSchema, dataverse: sideRequestSchema }),
  dataPartitionMappings: z.array(partitionRequestSchema),
});
export type ConnectionSetRequest = z.infer<typeof connectionSetRequestSchema>;

/** An integration key as the sandbox writes it. */
export interface IntegrationKeyWire {
  name: string;
  displayName: string;
  fields: string[];
}

/** One side of a stored connection set. */
export interface ConnectionSetSideWire {
  name: string;
  targetType: 'CRM' | 'CDS';
  environmentDisplayName?: string;
  powerAppsEnvironment: string;
  directUrl?: string;
  needsIntegrationKey: boolean;
  schemas?: { keys: IntegrationKeyWire[] }[];
}

/** A stored connection set. */
export interface ConnectionSetWire extends DocumentWire {
  environments: { dynamics365: ConnectionSetSideWire; dataverse: ConnectionSetSideWire };
  dataPartitionMappings: PartitionWire[];
}
