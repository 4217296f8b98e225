import { z } from 'zod';

/** A Dataverse database of a sandbox environment. */
const dataverseSchema = z.object({
  domainName: z.string(),
  uniqueName: z.string(),
  instanceUrl: z.url(),
  organizationId: z.guid(),
  businessUnitId: z.guid(),
});

/** An environment of the sandbox tenant, as stored. */
export const environmentRecordSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  location: z.string(),
  isDefault: z.boolean(),
  sku: z.string(),
  dataverse: dataverseSchema.optional(),
});
export type EnvironmentRecord = z.infer<typeof environmentRecordSchema>;

/** The user who owns what the sandbox seeds and creates. */
export const userSchema = z.object({ id: z.guid(), displayName: z.string(), userPrincipalName: z.string() });
export type SandboxUser = z.infer<typeof userSchema>;

/** The connectors Data Integration connects through. */
export const connectorSchema = z.enum(['dynamics365', 'dataverse']);
export type Connector = z.infer<typeof connectorSchema>;

/** A connection of the sandbox tenant, as stored. */
export const connectionRecordSchema = z.object({
  name: z.string(),
  environment: z.string(),
  connector: connectorSchema,
  displayName: z.string(),
  createdTime: z.string(),
  createdBy: userSchema,
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

/** Entity mappings (the domain shape) as stored in templates and projects. */
export const entityMappingSchema = z.object({
  sourceEntity: z.string(),
  destinationEntity: z.string(),
  fieldMappings: z.array(z.object({ sourceField: z.string(), destinationField: z.string() })),
  integrationKey: z.array(z.string()),
});
export type EntityMappingRecord = z.infer<typeof entityMappingSchema>;

/** A template, as stored. */
export const templateRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  entityMappings: z.array(entityMappingSchema),
});
export type TemplateRecord = z.infer<typeof templateRecordSchema>;

const endpointSchema = z.object({ connectionName: z.string(), environmentName: z.string() });
const organizationMappingSchema = z.object({ dynamicsOrganization: z.string(), dataverseOrganizationId: z.string() });
/** A Dynamics 365 organization paired with a Dataverse organization id. */
export type OrganizationMappingRecord = z.infer<typeof organizationMappingSchema>;

/** A connection set, as stored. */
export const connectionSetRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  owner: z.string(),
  dynamics: endpointSchema,
  dataverse: endpointSchema,
  organizationMappings: z.array(organizationMappingSchema),
  integrationKeys: z.array(z.object({ entity: z.string(), fields: z.array(z.string()) })),
});
export type ConnectionSetRecord = z.infer<typeof connectionSetRecordSchema>;

/** A project, as stored: a copy of its template's mappings bound to the connection set's environments. */
export const projectRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  owner: z.string(),
  templateName: z.string(),
  connectionSetName: z.string(),
  organizationMapping: organizationMappingSchema,
  sourceEnvironment: z.string(),
  destinationEnvironment: z.string(),
  entityMappings: z.array(entityMappingSchema),
});
export type ProjectRecord = z.infer<typeof projectRecordSchema>;

/** Figures of one leg (one entity mapping) of a run. */
export const legStatsSchema = z.object({
  task: z.string(),
  exported: z.number(),
  inserted: z.number(),
  updated: z.number(),
  errors: z.number(),
});
export type LegStats = z.infer<typeof legStatsSchema>;

/** Parses stored JSON with its schema; a corrupt row fails loudly instead of spreading. */
export function readJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Corrupt sandbox record (${what}): ${parsed.error.message}`);
  return parsed.data;
}
