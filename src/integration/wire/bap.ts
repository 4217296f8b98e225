import { z } from 'zod';
import type { Environment } from '../port';

/** An environment as the BAP admin API returns it (documented). */
export const environmentWireSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  properties: z.object({
    displayName: z.string(),
    isDefault: z.boolean().nullish(),
    environmentSku: z.string().nullish(),
    linkedEnvironmentMetadata: z
      .object({
        instanceUrl: z.url(),
        instanceApiUrl: z.url(),
        uniqueName: z.string().nullish(),
        domainName: z.string().nullish(),
      })
      .nullish(),
  }),
});

/** A page of environments. */
export const environmentPageWireSchema = z.object({
  value: z.array(environmentWireSchema),
  nextLink: z.url().nullish(),
});

/** Wire type of an environment, as the sandbox writes it. */
export type EnvironmentWire = z.input<typeof environmentWireSchema>;

/** Converts a BAP environment to the domain type. */
export function toEnvironment(wire: z.infer<typeof environmentWireSchema>): Environment {
  const meta = wire.properties.linkedEnvironmentMetadata;
  return {
    name: wire.name,
    id: wire.id,
    displayName: wire.properties.displayName,
    location: wire.location,
    isDefault: wire.properties.isDefault ?? false,
    sku: wire.properties.environmentSku ?? undefined,
    instanceUrl: meta?.instanceUrl,
    instanceApiUrl: meta?.instanceApiUrl,
    domainName: meta?.domainName ?? undefined,
    uniqueName: meta?.uniqueName ?? undefined,
  };
}
