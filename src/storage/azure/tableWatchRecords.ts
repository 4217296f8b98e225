import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import { Watch, WatchKey, WatchRecords, watchSchema } from '../../notifications/watchStore';
import { all, readBody, SCHEMA_VERSION, tableKey } from './azureTarget';

/** A batch may hold at most 100 operations, all in one partition. */
const BATCH = 100;
const watchRow = (projectName: string) => `w|${tableKey(projectName)}`;
const reportPrefix = (projectName: string) => `r|${tableKey(projectName)}|`;

/**
 * Watches and report records in Azure Tables, one partition per conversation. A report record is
 * one upsert (in a batch with the others of the same poll): the only write between the connector's
 * answer and "this execution was alerted".
 */
export class TableWatchRecords implements WatchRecords {
  constructor(private readonly table: TableClient) {}

  async get(key: WatchKey): Promise<Watch | undefined> {
    const [found] = await this.query(odata`PartitionKey eq ${tableKey(key.conversationId)} and RowKey eq ${watchRow(key.projectName)}`);
    return found;
  }

  async put(watch: Watch): Promise<void> {
    await this.table.upsertEntity({
      partitionKey: tableKey(watch.conversationId), rowKey: watchRow(watch.projectName), kind: 'watch', v: SCHEMA_VERSION, body: JSON.stringify(watch),
    }, 'Replace');
  }

  async list(conversationId?: string): Promise<Watch[]> {
    const filter = conversationId === undefined ? odata`kind eq 'watch'` : odata`PartitionKey eq ${tableKey(conversationId)} and kind eq 'watch'`;
    const watches = await this.query(filter);
    return watches.sort((a, b) => a.conversationId.localeCompare(b.conversationId) || a.projectName.localeCompare(b.projectName));
  }

  async reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>> {
    const prefix = reportPrefix(key.projectName);
    const filter = odata`PartitionKey eq ${tableKey(key.conversationId)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    const rows = await all(this.table.listEntities<{ executionId: string }>({ queryOptions: { filter, select: ['executionId'] } }));
    const seen = new Set(rows.map((r) => r.executionId));
    return new Set(executionIds.filter((id) => seen.has(id)));
  }

  async markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void> {
    const actions: TransactionAction[] = executionIds.map((executionId) => ['upsert', {
      partitionKey: tableKey(key.conversationId), rowKey: `${reportPrefix(key.projectName)}${tableKey(executionId)}`,
      kind: 'report', v: SCHEMA_VERSION, executionId, reportedAt: at,
    }, 'Replace']);
    for (let i = 0; i < actions.length; i += BATCH) await this.table.submitTransaction(actions.slice(i, i + BATCH));
  }

  async pruneReports(before: string): Promise<number> {
    const old = await all(this.table.listEntities({ queryOptions: { filter: odata`kind eq 'report' and reportedAt lt ${before}`, select: ['PartitionKey', 'RowKey'] } }));
    for (const e of old) await this.table.deleteEntity(e.partitionKey!, e.rowKey!);
    return old.length;
  }

  private async query(filter: string): Promise<Watch[]> {
    return (await all(this.table.listEntities({ queryOptions: { filter } }))).map((e) => readBody(e, watchSchema));
  }
}
