import { z } from 'zod';
import type { Project, ProjectInput, ProjectSummary } from '../port';
import {
  dataPartitionMappingWireSchema,
  toDataPartitionMapping,
  toOrganizationMapping,
  toValidationIssue,
  validationIssueWireSchema,
} from './common';
import { taskWireSchema, toEntityMappings } from './entityMapping';

/** A row of ProjectSummary (guessed, unverified): the name comes as `projectName` or `name`. */
export const projectSummaryWireSchema = z
  .object({
    projectName: z.string().nullish(),
    name: z.string().nullish(),
    projectDisplayName: z.string().nullish(),
    displayName: z.string().nullish(),
  })
  .refine((p) => Boolean(p.projectName ?? p.name), { message: 'a project summary needs projectName or name' });

/** A full project (guessed, unverified); `dataPartitionMapping` is unverified. */
export const projectWireSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullish(),
  owner: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  tenant: z.string().nullish(),
  templateIdentifier: z.string().nullish(),
  projectState: z.string().nullish(),
  entityMappingTasks: z.array(taskWireSchema),
  validationIssues: z.array(validationIssueWireSchema).nullish(),
  dataPartitionMapping: dataPartitionMappingWireSchema.nullish(),
});

/** The body that creates a project from a template (unverified). */
export const createProjectRequestWireSchema = z.object({
  name: z.string(),
  displayName: z.string().nullish(),
  templateIdentifier: z.string(),
  connectionSetName: z.string(),
  dataPartitionMapping: dataPartitionMappingWireSchema,
  privacyConsent: z.boolean(),
});

/** Wire types, as the sandbox reads and writes them. */
export type ProjectWire = z.input<typeof projectWireSchema>;
export type ProjectSummaryWire = z.input<typeof projectSummaryWireSchema>;
export type CreateProjectRequestWire = z.infer<typeof createProjectRequestWireSchema>;

/** Converts a ProjectSummary row to the domain type. */
export function toProjectSummary(wire: z.infer<typeof projectSummaryWireSchema>): ProjectSummary {
  const name = wire.projectName ?? wire.name ?? '';
  return { name, displayName: wire.projectDisplayName ?? wire.displayName ?? name };
}

/** Converts a full project to the domain type. */
export function toProject(wire: z.infer<typeof projectWireSchema>): Project {
  return {
    id: wire.id,
    name: wire.name,
    displayName: wire.displayName ?? wire.name,
    templateName: wire.templateIdentifier ?? undefined,
    connectionSetName: wire.entityMappingTasks.find((t) => t.connectionSetName)?.connectionSetName ?? undefined,
    organizationMapping: wire.dataPartitionMapping ? toOrganizationMapping(wire.dataPartitionMapping) : undefined,
    owner: wire.owner ?? undefined,
    createdAt: wire.createdDateTime ?? undefined,
    state: wire.projectState ?? undefined,
    entityMappings: toEntityMappings(wire.entityMappingTasks),
    validationIssues: (wire.validationIssues ?? []).map(toValidationIssue),
  };
}

/** Builds the create body. */
export function toCreateProjectRequest(input: ProjectInput): z.input<typeof createProjectRequestWireSchema> {
  return {
    name: input.name,
    displayName: input.name,
    templateIdentifier: input.templateName,
    connectionSetName: input.connectionSetName,
    dataPartitionMapping: toDataPartitionMapping(input.organizationMapping),
    privacyConsent: input.consent,
  };
}
