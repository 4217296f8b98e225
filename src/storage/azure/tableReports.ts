import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { all, SCHEMA_VERSION, tableKey } from './azureTarget';

/** A batch may hold at most 100 operations, all in one partition. */
const BATCH = 100;
/** The most records one prune reads and deletes (one page of the scan). */
export const PRUNED_PER_PASS = 1000;
/** How far `before` moves on between two scans of the table (a scan takes as many passes as it needs). */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * "Reported" records in a conversation's partition: one row per watched thing and id (a run, a refresh), under a
 * row-key prefix of the thing, with a `kind` of their own so that pruning one kind never touches another.
 */
export class TableReports {
  /** Where this instance's prune scan stands: the `before` it began at (ms), and where its next page starts. */
  private scan: { at?: number; resume?: string } = {};

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

  /**
   * Deletes this kind's records older than `before`, a bounded pass at a time; returns how many. The lead's poll
   * calls it and waits for it, and the query scans every partition of the table: at every poll, over a table of a
   * year's reports, it would hold each poll for minutes. So a pass reads one page (PRUNED_PER_PASS rows at most),
   * deletes them in batches of their partition, and the next pass goes on from where the scan stopped; once the scan
   * is through, the next one starts only when `before` has moved on an hour (records are kept for weeks).
   */
  async prune(before: string): Promise<number> {
    const due = this.scan.at === undefined || Date.parse(before) - this.scan.at >= PRUNE_EVERY_MS;
    if (this.scan.resume === undefined && !due) return 0;
    const filter = odata`kind eq ${this.kind} and reportedAt lt ${before}`;
    const pages = this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })
      .byPage({ maxPageSize: PRUNED_PER_PASS, continuationToken: this.scan.resume });
    const { value: page } = await pages.next();
    const rows = (page ?? []) as Array<{ partitionKey?: string; rowKey?: string }>;
    await this.deleteAll(rows.map((r) => ({ partitionKey: r.partitionKey!, rowKey: r.rowKey! })));
    this.scan = { at: this.scan.resume === undefined ? Date.parse(before) : this.scan.at, resume: page?.continuationToken };
    return rows.length;
  }

  /** Deletes rows in batches of a partition; a batch refused (a row another instance deleted first) is done a row at a time. */
  private async deleteAll(rows: Array<{ partitionKey: string; rowKey: string }>): Promise<void> {
    const byPartition = new Map<string, string[]>();
    for (const r of rows) byPartition.set(r.partitionKey, [...(byPartition.get(r.partitionKey) ?? []), r.rowKey]);
    for (const [partitionKey, rowKeys] of byPartition) {
      for (let i = 0; i < rowKeys.length; i += BATCH) {
        const keys = rowKeys.slice(i, i + BATCH);
        await this.table.submitTransaction(keys.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]))
          .catch(() => Promise.all(keys.map((rowKey) => this.table.deleteEntity(partitionKey, rowKey).catch(ignoreGone))));
      }
    }
  }
}

/** A row already deleted is what a delete wanted. */
function ignoreGone(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode !== 404) throw err;
}
