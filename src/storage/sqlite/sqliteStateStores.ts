import { SqliteConversationReferenceStore } from './sqliteConversationReferenceStore';
import { openBotDatabase } from '../database';
import { SqliteStorage } from '../sqliteStorage';
import { soleInstance, StateStores } from '../stateStores';
import { SqliteApprovalStore } from './sqliteApprovalStore';
import { SqliteFlowLocks } from './sqliteFlowLocks';
import { SqliteWatchRecords } from './sqliteWatchRecords';

/** The embedded default: every store in `${dataDir}/bot.sqlite`. */
export function openSqliteStateStores(dataDir: string): StateStores {
  const db = openBotDatabase(dataDir);
  return {
    kind: 'sqlite',
    storage: new SqliteStorage(db),
    refs: new SqliteConversationReferenceStore(db),
    approvals: new SqliteApprovalStore(db),
    watches: new SqliteWatchRecords(db),
    flowLocks: new SqliteFlowLocks(db),
    leadership: soleInstance,
    close: async () => { db.close(); },
  };
}
