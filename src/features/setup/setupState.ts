import { z } from 'zod';
import { flowStateSchema } from '../../setupRules/submitToFlow';

/**
 * What a person's setups keep in bot state, and how it must read back: the storage checks every value it reads against
 * `setupStateSchema` (storage/readableState.ts), and sets aside one that fails, rather than fail every turn on it.
 */

/** The id of the setup dialog in a person's dialog state. */
export const SETUP_DIALOG = 'SETUP_DIALOG';

/** Where a person's open setup is, kept per person so that another thread or chat can point to it. */
const openSetupSchema = z.object({ conversationId: z.string(), inChannel: z.boolean() });
export type OpenSetup = z.infer<typeof openSetupSchema>;

/** The properties PersonSetups keeps: a person's dialogs in a conversation, and (per person) where their open setup is. */
export const DIALOGS = 'setupDialogState';
export const OPEN_SETUP = 'openSetup';

/**
 * A dialog stack as botbuilder-dialogs keeps it, a component's (the setup's) own stack inside its state. An entry that
 * is not a dialog (null, no state) made "cancel" loop for ever, and the process with it.
 */
const dialogStackSchema: z.ZodType = z.lazy(() => z.looseObject({ dialogStack: z.array(dialogInstanceSchema) }));
const dialogInstanceSchema = z.looseObject({ id: z.string(), state: z.looseObject({ dialogs: dialogStackSchema.optional(), flow: z.unknown().optional() }) })
  .superRefine((instance, ctx) => {
    // The setup's flow, once its forms started: one this release cannot read (a newer release's step) is not a setup it can go on with.
    if (instance.id !== SETUP_DIALOG || instance.state.flow === undefined) return;
    for (const issue of flowStateSchema.safeParse(instance.state.flow).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['state', 'flow', ...issue.path] });
    }
  });

/** What the setup keeps in bot state, as it must read back (readableState checks every value read against it); other properties pass. */
export const setupStateSchema = z.looseObject({ [DIALOGS]: dialogStackSchema.optional(), [OPEN_SETUP]: openSetupSchema.optional() });
