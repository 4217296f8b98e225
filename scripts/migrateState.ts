import 'dotenv/config';
import { z } from 'zod';
import { approvalRequestSchema, auditEntrySchema } from '../src/scheduleApprovals/approvalRequest';
import { loadConfig } from '../src/config';
import { createLogger, Logger } from '../src/logger';
import { SqliteConversationReferenceStore } from '../src/storage/sqlite/sqliteConversationReferenceStore';
import { openAzureStateStores } from '../src/storage/azure/azureStateStores';
import { azureTarget } from '../src/storage/azure/azureTarget';
import { TableApprovalStore } from '../src/storage/azure/tableApprovalStore';
import { BotDatabase, openBotDatabase } from '../src/storage/database';
import { SqliteDataflowWatchRecords } from '../src/storage/sqlite/sqliteDataflowWatchRecords';
import { SqliteWatchRecords } from '../src/storage/sqlite/sqliteWatchRecords';
import type { StateStores } from '../src/storage/stateStores';

/** What one copy moved. */
export interface MigrationSummary {
  references: number; approvals: number; auditEntries: number; watches: number; reportedRuns: number;
  dataflowWatches: number; reportedRefreshes: number; dataflowCursors: number;
  /** Open dialogs (bot state) are not copied: those people start their setup again. */
  droppedDialogStates: number;
}

const body = z.object({ body: z.string() });
const row = <T extends z.ZodRawShape>(shape: T) => z.object(shape);

/**
 * Copies a SQLite state into Azure Storage: conversation references (with their "welcomed" mark),
 * approvals with their audit trail and cards, watches and reported runs, dataflow watches with their reported
 * refreshes and each environment's cursor. Every write is an upsert
 * keyed by the source record, so running it again copies nothing twice.
 */
export async function migrateState(db: BotDatabase, to: StateStores): Promise<MigrationSummary> {
  const refs = await new SqliteConversationReferenceStore(db).list();
  for (const r of refs) await to.refs.save(r);
  const welcomed = db.prepare('SELECT conversation_id FROM conversation_refs WHERE welcomed_at IS NOT NULL').all().map((r) => row({ conversation_id: z.string() }).parse(r).conversation_id);
  for (const id of welcomed) await to.refs.markWelcomed(id);

  if (!(to.approvals instanceof TableApprovalStore)) throw new Error('migrate-state copies into Azure Tables only');
  const requests = db.prepare('SELECT body FROM schedule_approvals').all().map((r) => approvalRequestSchema.parse(JSON.parse(body.parse(r).body)));
  const audit = db.prepare('SELECT body FROM schedule_approval_audit ORDER BY seq').all().map((r) => auditEntrySchema.parse(JSON.parse(body.parse(r).body)));
  let auditEntries = 0;
  for (const request of requests) {
    const trail = audit.filter((e) => e.requestId === request.id);
    const cards = db.prepare('SELECT conversation_id, activity_id FROM schedule_approval_cards WHERE request_id = ?').all(request.id)
      .map((r) => row({ conversation_id: z.string(), activity_id: z.string() }).parse(r)).map((c) => ({ conversationId: c.conversation_id, activityId: c.activity_id }));
    await to.approvals.importRequest(request, trail, cards);
    auditEntries += trail.length;
  }
  for (const choice of audit) {
    if (choice.requestId !== undefined || (choice.action !== 'paused' && choice.action !== 'resumed')) continue;
    await to.approvals.recordChoice({ ...choice, action: choice.action });
    auditEntries += 1;
  }

  const watches = await new SqliteWatchRecords(db).list();
  // Over the copy already there (a second run), under its version: the one writer of a state not yet in use.
  for (const w of watches) await to.watches.put(w, (await to.watches.get(w))?.version);
  const reports = db.prepare('SELECT project_name, conversation_id, execution_id, reported_at FROM run_watch_reports').all()
    .map((r) => row({ project_name: z.string(), conversation_id: z.string(), execution_id: z.string(), reported_at: z.string() }).parse(r));
  for (const r of reports) await to.watches.markReported({ projectName: r.project_name, conversationId: r.conversation_id }, [r.execution_id], r.reported_at);

  const dataflows = await migrateDataflows(db, to);
  const dialogs = db.prepare("SELECT COUNT(*) AS n FROM state WHERE key LIKE '%/users/%'").get() as { n: number };
  return { references: refs.length, approvals: requests.length, auditEntries, watches: watches.length, reportedRuns: reports.length, ...dataflows, droppedDialogStates: dialogs.n };
}

/** Dataflow watches, their reported refreshes (each with its time, for pruning) and the cursors: without them the new store would alert a week of refreshes again. */
async function migrateDataflows(db: BotDatabase, to: StateStores): Promise<Pick<MigrationSummary, 'dataflowWatches' | 'reportedRefreshes' | 'dataflowCursors'>> {
  const watches = await new SqliteDataflowWatchRecords(db).list();
  for (const w of watches) await to.dataflowWatches.put(w, (await to.dataflowWatches.get(w))?.version);
  const reports = db.prepare('SELECT dataflow_id, conversation_id, refresh_id, reported_at FROM dataflow_watch_reports').all()
    .map((r) => row({ dataflow_id: z.string(), conversation_id: z.string(), refresh_id: z.string(), reported_at: z.string() }).parse(r));
  for (const r of reports) await to.dataflowWatches.markReported({ dataflowId: r.dataflow_id, conversationId: r.conversation_id }, [r.refresh_id], r.reported_at);
  const cursors = db.prepare('SELECT environment, ended_at FROM dataflow_cursors').all().map((r) => row({ environment: z.string(), ended_at: z.string() }).parse(r));
  for (const c of cursors) await to.dataflowWatches.advanceCursor(c.environment, c.ended_at);
  return { dataflowWatches: watches.length, reportedRefreshes: reports.length, dataflowCursors: cursors.length };
}

/** `npm run migrate-state -- --to azure`: from DATA_DIR/bot.sqlite into the Azure Storage of the AZURE_* keys. */
async function main(argv: string[], logger: Logger): Promise<void> {
  const to = argv[argv.indexOf('--to') + 1];
  if (!argv.includes('--to') || to !== 'azure') throw new Error('Usage: npm run migrate-state -- --to azure');
  const config = loadConfig({ ...process.env, STATE_STORE: 'azure' });
  const db = openBotDatabase(config.DATA_DIR);
  try {
    const stores = await openAzureStateStores(azureTarget(config), logger, config.LEADER_LEASE_SECONDS);
    const summary = await migrateState(db, stores);
    logger.info({ ...summary, from: config.DATA_DIR }, 'state copied to Azure Storage');
    console.log(`Copied ${summary.references} conversation references, ${summary.approvals} approvals (${summary.auditEntries} audit entries), `
      + `${summary.watches} watches and ${summary.reportedRuns} reported runs, ${summary.dataflowWatches} dataflow watches `
      + `(${summary.reportedRefreshes} reported refreshes, ${summary.dataflowCursors} environment cursors). ${summary.droppedDialogStates} open dialog state(s) were not copied: `
      + 'those people start their setup again. Running this again copies nothing twice.');
  } finally {
    db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), createLogger(process.env.LOG_LEVEL === 'silent' ? 'silent' : 'warn')).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
