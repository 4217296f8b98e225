import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { all, SCHEMA_VERSION, tableKey } from './azureTarget';

/** A batch may hold at most 100 operations, all in one partition. */
const BATCH = 100;

/**
 * "Reported" records in a conversation's partition: one row per watched thing and id (a run, a refresh), under a
 * row-key prefix of the thing, with a `kind` of their own so that pruning one kind never touches another.
 */
export class TableReports {
  constructor(private readonly table: TableClient, private readonly kind: string, private readonly idField: string) {}

  /** Which of `ids` were recorded in the partition under the prefix. */
  async reported(conversationId: string, prefix: string, ids: readonly string[]): Promise<Set<string>> {
    const filter = odata`PartitionKey eq ${tableKey(conversationId)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    const rows = await all(this.table.listEntities<Record<string, string>>({ queryOptions: { filter, select: [this.idField] } }));
    const seen = new Set(rows.map((r) => r[this.idField]));
    return new Set(ids.filter((id) => seen.has(id)));
  }

  /**
   * Records the ids (upserts, in batches of the partition). An id given twice is written once: Azure refuses a whole
   * batch that names a row twice, which would leave every id of it unrecorded (and alerted again).
   */
  async mark(conversationId: string, prefix: string, ids: readonly string[], at: string): Promise<void> {
    const actions: TransactionAction[] = [...new Set(ids)].map((id) => ['upsert', {
      partitionKey: tableKey(conversationId), rowKey: `${prefix}${tableKey(id)}`, kind: this.kind, v: SCHEMA_VERSION, [this.idField]: id, reportedAt: at,
    }, 'Replace']);
    for (let i = 0; i < actions.length; i += BATCH) await this.table.submitTransaction(actions.slice(i, i + BATCH));
  }

  /** Deletes this kind's records older than `before`; returns how many. */
  async prune(before: string): Promise<number> {
    const old = await all(this.table.listEntities({ queryOptions: { filter: odata`kind eq ${this.kind} and reportedAt lt ${before}`, select: ['PartitionKey', 'RowKey'] } }));
    for (const e of old) await this.table.deleteEntity(e.partitionKey!, e.rowKey!);
    return old.length;
  }
}
