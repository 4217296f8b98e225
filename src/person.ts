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

/** The part of a Bot Framework activity that says who sent it (structural: the domain knows no botbuilder). */
export interface ActivitySender {
  from?: { id?: string; name?: string; aadObjectId?: string } | null;
}

/** The person who acted in an activity, with their channel user id and whether the directory vouches for them. */
export type ActingPerson = Person & { userId: string; verified: boolean };

/**
 * The person who acted in an activity: the one home of this mapping (the layout test keeps `from` read
 * here only). Without an Azure AD object id (local mode's channels, the emulator) their channel id stands
 * in, and `verified` is false, so that what must name a real directory user (an approval) can refuse them.
 * Undefined only for an activity that names no sender, which the HTTP edge refuses before any turn.
 */
export function actingPerson(activity: ActivitySender): ActingPerson | undefined {
  const from = activity.from;
  if (!from?.id) return undefined;
  return { aadObjectId: from.aadObjectId || from.id, name: from.name?.trim() || 'Someone', userId: from.id, verified: !!from.aadObjectId };
}

/** The acting person when the directory vouches for them (an Azure AD id): who may request or decide a schedule. */
export function verifiedPerson(activity: ActivitySender): Person | undefined {
  const person = actingPerson(activity);
  return person?.verified ? { aadObjectId: person.aadObjectId, name: person.name, userId: person.userId } : undefined;
}
