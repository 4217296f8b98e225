import { z } from 'zod';
import { BotDatabase } from '../storage/database';

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

const rowSchema = z.object({
  conversation_id: z.string(),
  tenant_id: z.string().nullable(),
  team_id: z.string().nullable(),
  channel_id: z.string(),
  conversation_type: z.string().nullable(),
  service_url: z.string(),
  reference: z.string(),
});

function toRecord(row: unknown): ConversationRecord {
  const r = rowSchema.parse(row);
  return {
    conversationId: r.conversation_id,
    tenantId: r.tenant_id ?? undefined,
    teamId: r.team_id ?? undefined,
    channelId: r.channel_id,
    conversationType: r.conversation_type ?? undefined,
    serviceUrl: r.service_url,
    reference: storedReferenceSchema.parse(JSON.parse(r.reference)),
  };
}

/** The embedded default: conversation references in the bot's SQLite database. */
export class SqliteConversationReferenceStore implements ConversationReferenceStore {
  constructor(private readonly db: BotDatabase) {}

  async save(r: ConversationRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO conversation_refs (conversation_id, tenant_id, team_id, channel_id, conversation_type, service_url, reference, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(conversation_id) DO UPDATE SET tenant_id = excluded.tenant_id, team_id = excluded.team_id,
           channel_id = excluded.channel_id, conversation_type = excluded.conversation_type,
           service_url = excluded.service_url, reference = excluded.reference, updated_at = excluded.updated_at`,
      )
      .run(r.conversationId, r.tenantId ?? null, r.teamId ?? null, r.channelId, r.conversationType ?? null,
        r.serviceUrl, JSON.stringify(r.reference), new Date().toISOString());
  }

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM conversation_refs WHERE conversation_id = ?').get(conversationId);
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<ConversationRecord[]> {
    return this.db.prepare('SELECT * FROM conversation_refs ORDER BY updated_at').all().map(toRecord);
  }

  async markWelcomed(conversationId: string): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE conversation_refs SET welcomed_at = ? WHERE conversation_id = ? AND welcomed_at IS NULL')
      .run(new Date().toISOString(), conversationId);
    return result.changes === 1;
  }

  async remove(conversationId: string): Promise<void> {
    this.db.prepare('DELETE FROM conversation_refs WHERE conversation_id = ?').run(conversationId);
  }

  async removeTeam(teamId: string): Promise<number> {
    return this.db.prepare('DELETE FROM conversation_refs WHERE team_id = ?').run(teamId).changes;
  }
}
