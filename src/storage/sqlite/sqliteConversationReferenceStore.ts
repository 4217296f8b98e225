import { z } from 'zod';
import { ConversationRecord, ConversationReferenceStore, storedReferenceSchema } from '../../notifications/conversationReferenceStore';
import type { Statement } from 'better-sqlite3';
import { BotDatabase } from '../database';

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
  /** Statements prepared once, on first use (preparing costs more than running one of these). */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: BotDatabase) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async save(r: ConversationRecord): Promise<void> {
    this
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
    const row = this.prepare('SELECT * FROM conversation_refs WHERE conversation_id = ?').get(conversationId);
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<ConversationRecord[]> {
    return this.prepare('SELECT * FROM conversation_refs ORDER BY updated_at').all().map(toRecord);
  }

  async markWelcomed(conversationId: string): Promise<boolean> {
    const result = this
      .prepare('UPDATE conversation_refs SET welcomed_at = ? WHERE conversation_id = ? AND welcomed_at IS NULL')
      .run(new Date().toISOString(), conversationId);
    return result.changes === 1;
  }

  async remove(conversationId: string): Promise<void> {
    this.prepare('DELETE FROM conversation_refs WHERE conversation_id = ?').run(conversationId);
  }

  async removeTeam(teamId: string): Promise<number> {
    return this.prepare('DELETE FROM conversation_refs WHERE team_id = ?').run(teamId).changes;
  }
}
