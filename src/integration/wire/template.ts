import { z } from 'zod';
import type { Template } from '../port';
import { taskWireSchema, toEntityMappings } from './entityMapping';

/** A template (unverified: assumed to carry the same tasks as a project). */
export const templateWireSchema = z.object({
  id: z.string().nullish(),
  name: z.string(),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  entityMappingTasks: z.array(taskWireSchema),
});

/** The body of "save project as template" (unverified). */
export const saveAsTemplateRequestWireSchema = z.object({ templateName: z.string() });

/** Wire type of a template, as the sandbox writes it. */
export type TemplateWire = z.input<typeof templateWireSchema>;

/** Converts a template to the domain type. */
export function toTemplate(wire: z.infer<typeof templateWireSchema>): Template {
  return {
    name: wire.name,
    displayName: wire.displayName ?? wire.name,
    description: wire.description ?? undefined,
    entityMappings: toEntityMappings(wire.entityMappingTasks),
  };
}
