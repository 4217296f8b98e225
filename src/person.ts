import { z } from 'zod';

/** Someone who acted in Teams: their Azure AD object id, display name and, when known, Teams user id (MRI, "29:…"). */
export const personSchema = z.object({
  aadObjectId: z.string().min(1),
  name: z.string(),
  userId: z.string().optional(),
});
export type Person = z.infer<typeof personSchema>;

/** Azure AD object ids are GUIDs, which Teams and configuration may spell in either case. */
export function sameAadId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}
