import { z } from 'zod';
import type { OrganizationMappingRecord } from '../model';

/**
 * A data partition mapping, as the Data Integrator names an organization mapping: partition one
 * is the Dynamics 365 organization, partition two the Dataverse organization id. The environment
 * names beside them are informative; the sandbox reads only the two partitions.
 */
export const partitionRequestSchema = z.object({
  firstPartition: z.string().min(1),
  secondPartition: z.string().min(1),
});

/** A data partition mapping as the sandbox writes it, with the environment of each partition. */
export interface PartitionWire {
  firstPartitionEnvName: string;
  firstPartition: string;
  secondPartitionEnvName: string;
  secondPartition: string;
}

/** The stored organization mapping a requested partition pair stands for. */
export const mappingFromPartitions = (p: z.infer<typeof partitionRequestSchema>): OrganizationMappingRecord => ({
  dynamicsOrganization: p.firstPartition,
  dataverseOrganizationId: p.secondPartition,
});

/** A stored organization mapping on the wire; `envs` names the Dynamics 365 and the Dataverse environment. */
export function partitionsOf(mapping: OrganizationMappingRecord, envs: { dynamics: string; dataverse: string }): PartitionWire {
  const { dynamicsOrganization, dataverseOrganizationId } = mapping;
  return {
    firstPartitionEnvName: envs.dynamics,
    firstPartition: dynamicsOrganization,
    secondPartitionEnvName: envs.dataverse,
    secondPartition: dataverseOrganizationId,
  };
}
