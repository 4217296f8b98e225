import { z } from 'zod';

/** The forms of the setup flow, in order. */
export const SETUP_STEPS = ['prerequisites', 'connectionSet', 'project', 'review', 'runOrSchedule'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

const endpoint = z.object({ connectionName: z.string(), environmentName: z.string() });

/** A connection set the flow will create, with everything filled in from the services. */
export const newConnectionSetSchema = z.object({
  name: z.string(),
  dynamics: endpoint,
  dataverse: endpoint,
  dynamicsOrganization: z.string(),
  dataverseOrganizationId: z.string(),
});
export type NewConnectionSet = z.infer<typeof newConnectionSetSchema>;

/**
 * Everything a person has chosen so far in one setup. It is kept in persistent state between
 * turns (and restarts), so it is parsed with this schema whenever it is read back.
 */
export const setupDraftSchema = z.object({
  flowId: z.string().min(1),
  owner: z.object({ id: z.string(), name: z.string(), aadObjectId: z.string().optional() }),
  step: z.enum(SETUP_STEPS),
  connectionSet: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('existing'), name: z.string() }),
      z.object({ mode: z.literal('new'), spec: newConnectionSetSchema }),
    ])
    .optional(),
  project: z
    .object({ name: z.string(), templateName: z.string(), dynamicsOrganization: z.string(), dataverseOrganizationId: z.string() })
    .optional(),
  /** What the services already created, so that a retry after a half-way failure creates nothing twice. */
  created: z.object({ connectionSetName: z.string().optional(), projectName: z.string().optional() }).default({}),
});
export type SetupDraft = z.infer<typeof setupDraftSchema>;

/** The step before `step`, or undefined at the first one. */
export function previousStep(step: SetupStep): SetupStep | undefined {
  return SETUP_STEPS[SETUP_STEPS.indexOf(step) - 1];
}

/** The step after `step`, or undefined at the last one. */
export function nextStep(step: SetupStep): SetupStep | undefined {
  return SETUP_STEPS[SETUP_STEPS.indexOf(step) + 1];
}
