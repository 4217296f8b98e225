import { z } from 'zod';

/** What a proactive message needs to reach a conversation again (a Bot Framework ConversationReference). */
export const storedReferenceSchema = z
  .object({
    channelId: z.string(),
    serviceUrl: z.string(),
    conversation: z.object({ id: z.string() }).loose(),
    bot: z.object({ id: z.string() }).loose().optional(),
    user: z.object({ id: z.string() }).loose().optional(),
    activityId: z.string().optional(),
    locale: z.string().optional(),
  })
  .loose();
export type StoredReference = z.infer<typeof storedReferenceSchema>;

/** One known conversation: where it lives in Teams and how to reach it. */
export const conversationRecordSchema = z.object({
  conversationId: z.string(),
  tenantId: z.string().optional(),
  teamId: z.string().optional(),
  channelId: z.string(),
  conversationType: z.string().optional(),
  serviceUrl: z.string(),
  reference: storedReferenceSchema,
});
export type ConversationRecord = z.infer<typeof conversationRecordSchema>;

/** Keeps one reference per conversation the bot is in: SQLite here, Azure Tables in src/storage/azure. */
export interface ConversationReferenceStore {
  /** Saves or refreshes a conversation's reference. */
  save(record: ConversationRecord): Promise<void>;
  get(conversationId: string): Promise<ConversationRecord | undefined>;
  list(): Promise<ConversationRecord[]>;
  /** Marks the conversation as welcomed; true only for the first caller. */
  markWelcomed(conversationId: string): Promise<boolean>;
  /** Forgets a conversation (bot uninstalled, conversation gone). */
  remove(conversationId: string): Promise<void>;
  /** Forgets every conversation of a team (team deleted, bot removed from the team). */
  removeTeam(teamId: string): Promise<number>;
}
