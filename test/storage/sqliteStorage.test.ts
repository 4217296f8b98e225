import { execFileSync } from 'node:child_process';
import { openBotDatabase } from '../../src/storage/database';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { ETagConflictError } from '../../src/storage/stateStores';
import { ensureBuilt, ROOT } from '../helpers/build';
import { tempDataDir } from '../helpers/harness';
import { botStateValue } from '../helpers/stateBackends';

describe('SqliteStorage', () => {
  test('a value written by one process is read back by a new process', async () => {
    const dataDir = tempDataDir();
    const db = openBotDatabase(dataDir);
    await new SqliteStorage(db).write({ 'conv/flow': { step: 'project', name: 'Accounts sync' } });
    db.close();

    // A separate Node process opens the same file through the same (compiled) Storage class.
    ensureBuilt();
    const reader = `
      const { openBotDatabase } = require('./dist/src/storage/database');
      const { SqliteStorage } = require('./dist/src/storage/sqliteStorage');
      new SqliteStorage(openBotDatabase(process.argv[1])).readTexts([process.argv[2]])
        .then((items) => process.stdout.write(items[process.argv[2]].text));`;
    const out = execFileSync(process.execPath, ['-e', reader, dataDir, 'conv/flow'], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ step: 'project', name: 'Accounts sync' });
  });

  test('a write with a stale eTag fails and leaves the stored value alone', async () => {
    const storage = new SqliteStorage(openBotDatabase(tempDataDir()));
    await storage.write({ k: { n: 1 } });
    const first = await botStateValue(storage, 'k');
    await storage.write({ k: { ...first, n: 2 } });
    await expect(storage.write({ k: { ...first, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect(await botStateValue(storage, 'k')).toMatchObject({ n: 2 });
  });

  test('eTag "*" and no eTag overwrite unconditionally; a new eTag is issued on every write', async () => {
    const storage = new SqliteStorage(openBotDatabase(tempDataDir()));
    await storage.write({ k: { n: 1 } });
    const a = (await storage.readTexts(['k'])).k!.eTag;
    await storage.write({ k: { n: 2, eTag: '*' } });
    const b = (await storage.readTexts(['k'])).k!.eTag;
    expect(a).not.toBe(b);
    expect(await botStateValue(storage, 'k')).toMatchObject({ n: 2 });
  });

  test('a write for an item that was deleted meanwhile fails when it carries an eTag', async () => {
    const storage = new SqliteStorage(openBotDatabase(tempDataDir()));
    await storage.write({ k: { n: 1 } });
    const item = await botStateValue(storage, 'k');
    await storage.delete(['k']);
    await expect(storage.write({ k: item })).rejects.toThrow(/stale eTag/);
    expect(await storage.readTexts(['k', 'missing'])).toEqual({});
  });

  test('a conversation\'s watches are read through an index, not a scan of every watch', () => {
    const db = openBotDatabase(tempDataDir());
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT body FROM run_watches WHERE conversation_id = ? ORDER BY project_name').all('c') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING INDEX run_watches_conversation/);
  });
});
