import { odata, TableClient } from '@azure/data-tables';
import { ConversationRecord, conversationRecordSchema as recordSchema, ConversationReferenceStore } from '../../notifications/conversationReferenceStore';
import { all, readBody, SCHEMA_VERSION, statusOf, tableKey } from './azureTarget';

const PARTITION = 'conversation';
/** Conversation references in Azure Tables; "welcomed" is set under the eTag it was read with, so only one instance welcomes. */
export class TableConversationReferenceStore implements ConversationReferenceStore {
  constructor(private readonly table: TableClient) {}

  async save(record: ConversationRecord): Promise<void> {
    // Merge keeps welcomedAt, which only markWelcomed writes.
    await this.table.upsertEntity({
      partitionKey: PARTITION, rowKey: tableKey(record.conversationId), v: SCHEMA_VERSION,
      teamId: record.teamId ?? '', updatedAt: new Date().toISOString(), body: JSON.stringify(record),
    }, 'Merge');
  }

  async get(conversationId: string): Promise<ConversationRecord | undefined> {
    const entity = await this.entity(conversationId);
    return entity && readBody(entity, recordSchema);
  }

  async list(): Promise<ConversationRecord[]> {
    const entities = await all(this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } }));
    return entities.sort((a, b) => String(a.updatedAt).localeCompare(String(b.updatedAt))).map((e) => readBody(e, recordSchema));
  }

  async markWelcomed(conversationId: string): Promise<boolean> {
    const entity = await this.entity(conversationId);
    if (!entity || entity.welcomedAt) return false;
    try {
      await this.table.updateEntity({ partitionKey: PARTITION, rowKey: tableKey(conversationId), welcomedAt: new Date().toISOString() }, 'Merge', { etag: entity.etag });
      return true;
    } catch (err) {
      if (statusOf(err) === 412) return false;
      throw err;
    }
  }

  async remove(conversationId: string): Promise<void> {
    await this.table.deleteEntity(PARTITION, tableKey(conversationId)).catch((err: unknown) => {
      if (statusOf(err) !== 404) throw err;
    });
  }

  async removeTeam(teamId: string): Promise<number> {
    const entities = await all(this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION} and teamId eq ${teamId}` } }));
    for (const e of entities) await this.table.deleteEntity(PARTITION, e.rowKey!);
    return entities.length;
  }

  private async entity(conversationId: string) {
    try {
      return await this.table.getEntity<{ welcomedAt?: string }>(PARTITION, tableKey(conversationId));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}
