import { z } from 'zod';
import type { EntityMapping } from '../port';

/** A field mapping of a leg (guessed, unverified). */
export const fieldMappingWireSchema = z.object({
  syncDirection: z.string().nullish(),
  sourceField: z.string().min(1),
  destinationField: z.string().min(1),
  isSystemGenerated: z.boolean().nullish(),
});

/** A leg: one source schema to one destination schema (guessed, unverified). `integrationKeyFields` is unverified. */
export const legWireSchema = z.object({
  id: z.string().nullish(),
  sourceEnvironment: z.string().nullish(),
  sourceSchema: z.string().min(1),
  sourceFilter: z.string().nullish(),
  destinationEnvironment: z.string().nullish(),
  destinationSchema: z.string().min(1),
  fieldMappings: z.array(fieldMappingWireSchema),
  integrationKeyFields: z.array(z.string()).nullish(),
});

/** An entity mapping task of a project or template (guessed, unverified). */
export const taskWireSchema = z.object({
  name: z.string(),
  order: z.number().nullish(),
  connectionSetName: z.string().nullish(),
  legs: z.array(legWireSchema),
});

/** Wire type of a task, as the sandbox writes it. */
export type TaskWire = z.input<typeof taskWireSchema>;

/** Flattens tasks (in their order) and their legs into entity mappings. */
export function toEntityMappings(tasks: readonly z.infer<typeof taskWireSchema>[]): EntityMapping[] {
  return [...tasks]
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .flatMap((task) => task.legs.map((leg, index) => ({
      sourceEntity: leg.sourceSchema,
      destinationEntity: leg.destinationSchema,
      fieldMappings: leg.fieldMappings.map((f) => ({ sourceField: f.sourceField, destinationField: f.destinationField })),
      integrationKey: leg.integrationKeyFields ?? [],
      origin: { task: task.name, leg: index },
      ...(leg.sourceEnvironment ? { sourceEnvironment: leg.sourceEnvironment } : {}),
    })));
}

/** Builds one task per entity mapping, as a template or a new project holds them. */
export function toTasks(
  mappings: readonly EntityMapping[],
  context: { connectionSetName?: string; sourceEnvironment?: string; destinationEnvironment?: string } = {},
): TaskWire[] {
  return mappings.map((m, index) => ({
    name: `${m.sourceEntity} to ${m.destinationEntity}`,
    order: index,
    connectionSetName: context.connectionSetName,
    legs: [
      {
        id: `${index}`,
        sourceEnvironment: context.sourceEnvironment,
        sourceSchema: m.sourceEntity,
        destinationEnvironment: context.destinationEnvironment,
        destinationSchema: m.destinationEntity,
        fieldMappings: m.fieldMappings.map((f) => ({ ...f, syncDirection: 'SourceToDestination', isSystemGenerated: false })),
        integrationKeyFields: m.integrationKey,
      },
    ],
  }));
}
