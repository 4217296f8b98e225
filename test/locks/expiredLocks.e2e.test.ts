import Database from 'better-sqlite3';
import path from 'node:path';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { exchangeClaims } from '../../src/teams/ssoTokenExchange';
import { ensureBuilt } from '../helpers/build';
import { tempDataDir } from '../helpers/harness';
import { listeningUrl, startNode } from '../helpers/processes';

const lockRows = (dataDir: string): number => {
  const db = new Database(path.join(dataDir, 'bot.sqlite'), { readonly: true });
  try { return (db.prepare('SELECT COUNT(*) AS n FROM flow_locks').get() as { n: number }).n; } finally { db.close(); }
};

/**
 * Every Teams sign-in leaves a lock row that nobody gives back (the SSO exchange's claim). The release entry in Teams
 * mode prunes the ones that ran out while it runs, as its own housekeeping: the approvals' minute sweep (its first pass
 * a minute after the start) has no part in it. A SIGTERM stops the pruning with everything else.
 */
describe('expired lock rows in the bot\'s database, with the release entry running', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('are deleted shortly after the start, a live lock stays, and SIGTERM still exits 0', async () => {
    const dataDir = tempDataDir();
    const before = openSqliteStateStores(dataDir);
    const claims = exchangeClaims(before.flowLocks, 1); // sign-ins of an earlier run: their claims ran out
    for (let i = 0; i < 150; i++) await claims.write({ [`msteams/a:ada/exchange-${i}`]: { eTag: `exchange-${i}` } });
    expect(await before.flowLocks.tryAcquire('msteams/conversations/a:ada/users/29:ada', 'a turn', 3_600_000)).toBe(true);
    await before.close();
    expect(lockRows(dataDir)).toBe(151);

    const proc = startNode('src/index.js', {
      PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', INTEGRATOR_BASE_URL: 'https://integrator.invalid/', BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys',
    });
    try {
      await listeningUrl(proc, 60_000);
      // The first pass runs at the start (the approvals' sweep would first run a minute after it).
      const deadline = Date.now() + 20_000;
      while (lockRows(dataDir) > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(lockRows(dataDir)).toBe(1);

      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      const lines = proc.logs();
      expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
      expect(lines.some((l) => l.msg === 'bot stopped')).toBe(true);
    } finally {
      await proc.kill('SIGKILL');
    }
  }, 120_000);
});
