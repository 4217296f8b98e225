import { z } from 'zod';
import type { ValidationIssue } from '../errors';
import type { OrganizationMapping } from '../port';

/** A validation issue as the Data Integrator reports it on projects (guessed, unverified); `field` names the input. */
export const validationIssueWireSchema = z.object({
  severity: z.string(),
  message: z.string(),
  mappingTask: z.string().nullish(),
  leg: z.string().nullish(),
  dataset: z.string().nullish(),
  schema: z.string().nullish(),
  field: z.string().nullish(),
});

/** Wire type of a validation issue. */
export type ValidationIssueWire = z.input<typeof validationIssueWireSchema>;

/** The error body the services answer with: ARM style `{error:{code,message}}`, plus issues. */
export const serviceErrorWireSchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  message: z.string().nullish(),
  validationIssues: z.array(validationIssueWireSchema).nullish(),
});

/** Wire type of an error body. */
export type ServiceErrorWire = z.input<typeof serviceErrorWireSchema>;

/** An organization mapping; the Data Integrator calls it a data partition mapping (guessed, unverified). */
export const dataPartitionMappingWireSchema = z.object({
  firstPartitionEnvName: z.string().nullish(),
  firstPartition: z.string().min(1),
  secondPartitionEnvName: z.string().nullish(),
  secondPartition: z.string().min(1),
});

/** Wire type of a data partition mapping. */
export type DataPartitionMappingWire = z.input<typeof dataPartitionMappingWireSchema>;

/** Converts a wire validation issue to the domain type. */
export function toValidationIssue(wire: z.infer<typeof validationIssueWireSchema>): ValidationIssue {
  const severity = /^err/i.test(wire.severity) ? 'error' : /^warn/i.test(wire.severity) ? 'warning' : 'info';
  return { severity, message: wire.message, ...(wire.field ? { field: wire.field } : {}) };
}

/** Converts a data partition mapping to an organization mapping (Dynamics first, Dataverse second). */
export function toOrganizationMapping(wire: z.infer<typeof dataPartitionMappingWireSchema>): OrganizationMapping {
  return { dynamicsOrganization: wire.firstPartition, dataverseOrganizationId: wire.secondPartition };
}

/** Converts an organization mapping to the wire, with the environments when known. */
export function toDataPartitionMapping(
  mapping: OrganizationMapping,
  environments: { dynamics?: string; dataverse?: string } = {},
): DataPartitionMappingWire {
  return {
    firstPartitionEnvName: environments.dynamics,
    firstPartition: mapping.dynamicsOrganization,
    secondPartitionEnvName: environments.dataverse,
    secondPartition: mapping.dataverseOrganizationId,
  };
}
