import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { all, inRounds, SCHEMA_VERSION, tableKey } from './azureTarget';

/** A batch may hold at most 100 operations, all in one partition. */
const BATCH = 100;
/** The most records one prune reads (one page of the scan). */
export const PRUNED_PER_PASS = 1000;
/**
 * The most delete requests one prune makes: 20 rounds (inRounds), well within the state store's 3 s. A page's
 * rows spread over many conversations (one batch each) are then deleted over several passes.
 */
export const DELETES_PER_PASS = 200;
/** How far `before` moves on between two scans of the table (a scan takes as many passes as it needs). */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * "Reported" records in a conversation's partition: one row per watched thing and id (a run, a refresh), under a
 * row-key prefix of the thing, with a `kind` of their own so that pruning one kind never touches another.
 */
export class TableReports {
  /**
   * Where this instance's prune scan stands: the `before` it began at (ms), and while it is under way, where its next page
   * starts (`token` undefined: at the table's start).
   */
  private scan?: { at: number; next?: { token?: string } };

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
   * calls it and waits for it, through the state store's 3 s deadline, and the query scans every partition of the
   * table: at every poll, over a table of a year's reports, it would hold each poll for minutes. So a pass reads one
   * page (PRUNED_PER_PASS rows at most) and deletes its rows in batches of their partition, DELETES_PER_PASS batches at
   * most; the next pass reads the rest of that page again, or goes on from where the scan stopped. Once the scan is
   * through, the next one starts only when `before` has moved on an hour (records are kept for weeks).
   */
  async prune(before: string): Promise<number> {
    const due = !this.scan || Date.parse(before) - this.scan.at >= PRUNE_EVERY_MS;
    if (!this.scan?.next && !due) return 0;
    const at = this.scan?.next ? this.scan.at : Date.parse(before);
    const from = this.scan?.next?.token;
    const filter = odata`kind eq ${this.kind} and reportedAt lt ${before}`;
    const pages = this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })
      .byPage({ maxPageSize: PRUNED_PER_PASS, continuationToken: from });
    const { value: page } = await pages.next();
    const rows = (page ?? []) as Array<{ partitionKey?: string; rowKey?: string }>;
    // The scan moves on as soon as the page is read: a pass the deadline cuts short anyway (Azure throttling, its
    // retries) does not leave the next one at the same page; what it did not delete is found by the next scan.
    const token = page?.continuationToken;
    const read = (this.scan = { at, next: token === undefined ? undefined : { token } });
    const batches = batchesOf(rows.map((r) => ({ partitionKey: r.partitionKey!, rowKey: r.rowKey! })));
    const done = batches.slice(0, DELETES_PER_PASS);
    await inRounds(done, (b) => this.deleteBatch(b));
    // Rows left for lack of requests: the next pass reads this page again (the rows deleted no longer match).
    if (done.length < batches.length && this.scan === read) this.scan = { at, next: { token: from } };
    return done.reduce((n, b) => n + b.rowKeys.length, 0);
  }

  /** Deletes one batch of a partition; a batch refused (a row another instance deleted first) is done a row at a time. */
  private async deleteBatch({ partitionKey, rowKeys }: Batch): Promise<void> {
    await this.table.submitTransaction(rowKeys.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]))
      .catch(() => Promise.all(rowKeys.map((rowKey) => this.table.deleteEntity(partitionKey, rowKey).catch(ignoreGone))));
  }
}

/** Rows of one partition that one batch deletes (at most BATCH). */
interface Batch { partitionKey: string; rowKeys: string[] }

/** The rows in batches of their partition, in the order the page listed them. */
function batchesOf(rows: ReadonlyArray<{ partitionKey: string; rowKey: string }>): Batch[] {
  const byPartition = new Map<string, string[]>();
  for (const r of rows) {
    const keys = byPartition.get(r.partitionKey);
    if (keys) keys.push(r.rowKey);
    else byPartition.set(r.partitionKey, [r.rowKey]);
  }
  return [...byPartition].flatMap(([partitionKey, keys]) => Array.from({ length: Math.ceil(keys.length / BATCH) }, (_, i) => ({ partitionKey, rowKeys: keys.slice(i * BATCH, (i + 1) * BATCH) })));
}

/** A row already deleted is what a delete wanted. */
function ignoreGone(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode !== 404) throw err;
}
