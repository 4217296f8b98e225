import { z } from 'zod';
import type { EntityMappingRecord } from '../model';
import type { DocumentWire, ValidationIssueWire } from './common';
import { type PartitionWire, partitionRequestSchema } from './partition';

/** One field of a leg: which source field fills which destination field. */
export interface FieldMappingWire {
  sourceField: string;
  destinationField: string;
  syncDirection: 'SourceToDestination';
  isSystemGenerated: boolean;
}

/** A leg: one source schema (table) to one destination schema, in the environments of the project. */
export interface LegWire {
  id: string;
  sourceSchema: string;
  destinationSchema: string;
  sourceEnvironment?: string;
  destinationEnvironment?: string;
  fieldMappings: FieldMappingWire[];
  integrationKeyFields: string[];
}

/** An entity mapping task; the sandbox gives each task exactly one leg. */
export interface TaskWire {
  name: string;
  order: number;
  connectionSetName?: string;
  legs: LegWire[];
}

/** A row of `ProjectSummary`. */
export interface ProjectSummaryWire {
  projectName: string;
  projectDisplayName: string;
}

/** A whole project. */
export interface ProjectWire extends DocumentWire {
  templateIdentifier: string;
  projectState: 'Active';
  entityMappingTasks: TaskWire[];
  validationIssues: ValidationIssueWire[];
  dataPartitionMapping: PartitionWire;
}

/** A template: the tasks of a project before it is bound to a connection set. */
export interface TemplateWire {
  id: string;
  name: string;
  displayName: string;
  description?: string;
  entityMappingTasks: TaskWire[];
}

/** What `PUT api/Project/{projectName}` accepts: a new project from a template and a connection set. */
export const createProjectRequestSchema = z.object({
  name: z.string(),
  templateIdentifier: z.string(),
  connectionSetName: z.string(),
  dataPartitionMapping: partitionRequestSchema,
  privacyConsent: z.boolean(),
});
export type CreateProjectRequest = z.infer<typeof createProjectRequestSchema>;

/** What `POST api/Project/{projectName}/SaveAsTemplate` accepts. */
export const saveAsTemplateRequestSchema = z.object({ templateName: z.string() });

/** Where a project's tasks run; a template's tasks are not bound yet. */
export interface TaskBinding {
  connectionSetName?: string;
  sourceEnvironment?: string;
  destinationEnvironment?: string;
}

function legOf(mapping: EntityMappingRecord, id: string, binding: TaskBinding): LegWire {
  const fields = mapping.fieldMappings.map(
    ({ sourceField, destinationField }): FieldMappingWire =>
      ({ sourceField, destinationField, syncDirection: 'SourceToDestination', isSystemGenerated: false }),
  );
  const { sourceEnvironment, destinationEnvironment } = binding;
  return {
    id, sourceSchema: mapping.sourceEntity, destinationSchema: mapping.destinationEntity, sourceEnvironment, destinationEnvironment,
    fieldMappings: fields, integrationKeyFields: [...mapping.integrationKey],
  };
}

/** The stored entity mappings as tasks, in their order, one leg each. */
export const tasksOf = (mappings: readonly EntityMappingRecord[], binding: TaskBinding = {}): TaskWire[] =>
  mappings.map((mapping, order) => ({
    name: `${mapping.sourceEntity} to ${mapping.destinationEntity}`,
    order,
    connectionSetName: binding.connectionSetName,
    legs: [legOf(mapping, String(order), binding)],
  }));
