import { odata, TableClient } from '@azure/data-tables';
import { Watch, WatchKey, WatchRecords, watchSchema } from '../../notifications/watchStore';
import { all, readBody, SCHEMA_VERSION, tableKey } from './azureTarget';
import { TableReports } from './tableReports';

const watchRow = (projectName: string) => `w|${tableKey(projectName)}`;
const reportPrefix = (projectName: string) => `r|${tableKey(projectName)}|`;

/**
 * Watches and report records in Azure Tables, one partition per conversation. A report record is
 * one upsert (in a batch with the others of the same poll): the only write between the connector's
 * answer and "this execution was alerted".
 */
export class TableWatchRecords implements WatchRecords {
  private readonly reports: TableReports;

  constructor(private readonly table: TableClient) {
    this.reports = new TableReports(table, 'report', 'executionId');
  }

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
    return this.reports.reported(key.conversationId, reportPrefix(key.projectName), executionIds);
  }

  async markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void> {
    await this.reports.mark(key.conversationId, reportPrefix(key.projectName), executionIds, at);
  }

  async pruneReports(before: string): Promise<number> {
    return this.reports.prune(before);
  }

  private async query(filter: string): Promise<Watch[]> {
    return (await all(this.table.listEntities({ queryOptions: { filter } }))).map((e) => readBody(e, watchSchema));
  }
}
