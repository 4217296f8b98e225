import { SqliteConversationReferenceStore } from './sqliteConversationReferenceStore';
import { openBotDatabase } from '../database';
import { SqliteStorage } from '../sqliteStorage';
import { soleInstance, StateStores } from '../stateStores';
import { SqliteApprovalStore } from './sqliteApprovalStore';
import { SqliteDataflowWatchRecords } from './sqliteDataflowWatchRecords';
import { SqliteFlowLocks } from './sqliteFlowLocks';
import { SqliteWatchRecords } from './sqliteWatchRecords';
import type { Logger } from '../../logger';
import { unreadableTo, warnUnreadable } from '../readEach';

/** The embedded default: every store in `${dataDir}/bot.sqlite`. */
export function openSqliteStateStores(dataDir: string, logger?: Logger): StateStores {
  const unreadable = logger ? unreadableTo(logger) : warnUnreadable;
  const db = openBotDatabase(dataDir);
  // Flow locks live a turn (60 s at most) and are taken and freed on every turn: their own connection to the same
  // file commits them without waiting for the disk (synchronous=NORMAL; WAL keeps the file consistent). A power cut
  // can only forget a lock, as a crash frees it anyway; everything else is still written with synchronous=FULL.
  const locksDb = openBotDatabase(dataDir);
  locksDb.pragma('synchronous = NORMAL');
  return {
    kind: 'sqlite',
    storage: new SqliteStorage(db),
    refs: new SqliteConversationReferenceStore(db),
    approvals: new SqliteApprovalStore(db),
    watches: new SqliteWatchRecords(db, unreadable),
    dataflowWatches: new SqliteDataflowWatchRecords(db, unreadable),
    flowLocks: new SqliteFlowLocks(locksDb),
    leadership: soleInstance,
    close: async () => { locksDb.close(); db.close(); },
  };
}
