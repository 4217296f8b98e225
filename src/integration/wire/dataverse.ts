import { z } from 'zod';

/** The Dataverse WhoAmI() answer (documented). */
export const whoAmIWireSchema = z.object({
  BusinessUnitId: z.guid(),
  UserId: z.guid(),
  OrganizationId: z.guid(),
});

/** Wire type of WhoAmI, as the sandbox writes it. */
export type WhoAmIWire = z.input<typeof whoAmIWireSchema>;
