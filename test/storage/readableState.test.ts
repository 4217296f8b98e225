import { ContainerClient } from '@azure/storage-blob';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { setupStateSchema } from '../../src/features/setup/setupState';
import { createLogger } from '../../src/logger';
import { BlobStateStorage } from '../../src/storage/azure/blobStateStorage';
import { openBotDatabase } from '../../src/storage/database';
import { asideKeyOf, readableState } from '../../src/storage/readableState';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { StoreHousekeeping } from '../../src/storage/storeHousekeeping';
import { newFlow } from '../../src/setupRules/submitToFlow';
import { type BotStateStore, StateSetAside } from '../../src/storage/stateStores';
import { freshPrefix, startAzurite } from '../helpers/azurite';
import { tempDataDir } from '../helpers/harness';

const KEY = 'msteams/conversations/19:général/users/29:ada/';
const OTHER = 'msteams/conversations/19:général/users/29:bob/';
const NOW = new Date('2025-03-01T09:00:00.000Z');
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

/** A backend's bot state, and a way to store any text under a key behind its back (a hand edit, another release). */
interface Rig { store: BotStateStore; put(key: string, text: string): Promise<void> }

async function sqliteRig(): Promise<Rig> {
  const db = openBotDatabase(tempDataDir());
  return {
    store: new SqliteStorage(db),
    put: async (key, text) => { db.prepare("INSERT INTO state (key, value, etag, updated_at) VALUES (?, ?, 'hand', '') ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = 'hand'").run(key, text); },
  };
}

async function azureRig(): Promise<Rig> {
  const container = new ContainerClient((await startAzurite()).connectionString, `${freshPrefix()}-state`);
  await container.createIfNotExists();
  return {
    store: new BlobStateStorage(container),
    put: async (key, text) => { await container.getBlockBlobClient(sanitizeBlobKey(key)).upload(text, Buffer.byteLength(text)); },
  };
}

const setup = (stack: unknown[]) => JSON.stringify({ setupDialogState: { dialogStack: stack }, finishedSetups: [], note: 'never logged' });
/** A setup waiting for its sign-in (Teams mode): its forms, and so its flow, not started yet. */
const signingIn = { id: 'SETUP_DIALOG', state: { dialogs: { dialogStack: [{ id: 'SIGN_IN_PROMPT', state: { state: {}, options: {}, expires: 1 } }] } } };

describe.each([['sqlite', sqliteRig], ['azure', azureRig]] as const)('bot state read through one rule, on %s', (_, rigOf) => {
  let rig: Rig;
  const logs: Array<Record<string, unknown>> = [];
  const storage = () => readableState(rig.store, createLogger('warn', { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } }), { schema: setupStateSchema, now: () => NOW });
  beforeEach(async () => { rig = await rigOf(); logs.length = 0; });

  test('a value that reads back is returned as stored, properties it does not know included, and left as it is', async () => {
    const value = { setupDialogState: { dialogStack: [signingIn] }, openSetup: { conversationId: '19:général', inChannel: true }, fromANewerRelease: { kept: [1] } };
    await rig.store.write({ [KEY]: value });
    const stored = (await rig.store.readTexts([KEY]))[KEY];
    expect(await storage().read([KEY, 'missing'])).toEqual({ [KEY]: { ...value, eTag: stored!.eTag } });
    expect((await rig.store.readTexts([KEY]))[KEY]).toEqual(stored);
    expect(logs).toEqual([]);
  });

  test.each([
    ['not JSON (cut short)', '{"note":"never logged","setupDialogState":{"dialogSt'],
    ['JSON, not an object', '["never logged"]'],
    ['where the open setup is, in a newer release\'s shape, and nothing else', JSON.stringify({ openSetup: { conversation: { id: 'never logged' }, inChannel: true } })],
  ])('%s: set aside as it is, reported by key, and the read fails with StateSetAside; the next read finds nothing there', async (_, text) => {
    await rig.put(KEY, text);
    await rig.store.write({ [OTHER]: { openSetup: { conversationId: 'c', inChannel: false } } });
    await expect(storage().read([KEY])).rejects.toThrow(StateSetAside);

    expect(await storage().read([KEY, OTHER])).toEqual({ [OTHER]: expect.objectContaining({ openSetup: { conversationId: 'c', inChannel: false } }) });
    const asideKey = asideKeyOf(KEY, NOW);
    expect((await rig.store.readTexts([asideKey]))[asideKey]?.text).toBe(text);
    expect(logs).toEqual([expect.objectContaining({ level: 40, store: 'botState', key: KEY, setAsideAs: asideKey })]);
    expect(JSON.stringify(logs)).not.toContain('never logged');
  });

  // A key holds more than the failing property (the finished setups, whose step-5 cards still work): only that property goes.
  test.each([
    ['a dialog stack with an empty entry, on which "cancel" looped for ever and held the whole process', setup([{ id: 'SETUP_DIALOG', state: { dialogs: { dialogStack: [null] } } }]), 'setupDialogState'],
    ['a dialog without its state (a newer release\'s)', setup([{ id: 'SETUP_DIALOG', v: 2 }]), 'setupDialogState'],
    ['where the open setup is, in a newer release\'s shape, beside a setup that reads back', JSON.stringify({ openSetup: { conversation: { id: 'never logged' } }, setupDialogState: { dialogStack: [signingIn] } }), 'openSetup'],
  ])('%s: set aside as it is, reported by key, and the read fails with StateSetAside; the next read finds the rest as it was', async (_, text, failing) => {
    await rig.put(KEY, text);
    await expect(storage().read([KEY])).rejects.toThrow(StateSetAside);

    const { [failing]: removed, ...rest } = JSON.parse(text) as Record<string, unknown>;
    const stored = (await rig.store.readTexts([KEY]))[KEY]!;
    expect(removed).toBeDefined();
    expect(await storage().read([KEY])).toEqual({ [KEY]: { ...rest, eTag: stored.eTag } });
    const asideKey = asideKeyOf(KEY, NOW);
    expect((await rig.store.readTexts([asideKey]))[asideKey]?.text).toBe(text);
    expect(logs).toEqual([expect.objectContaining({ level: 40, store: 'botState', key: KEY, setAsideAs: asideKey, removed: [failing] })]);
    expect(JSON.stringify(logs)).not.toContain('never logged');
  });

  // Before adecec7 a setup whose flow no longer read back was ended with "setup.stateLost" (setupDialog.ts onClick), and
  // the person's finished setups in the same key (whose step-5 cards still take "Request schedule") were kept. Now the
  // whole key goes aside, and the reply says "nothing else of yours changed".
  test('a setup at a step this release does not know is set aside without the person\'s finished setups: their step-5 cards still work', async () => {
    const finished = { ...newFlow({ id: '29:ada', name: 'Ada' }), draft: { ...newFlow({ id: '29:ada', name: 'Ada' }).draft, step: 'runOrSchedule' } };
    const open = newFlow({ id: '29:ada', name: 'Ada' });
    const newer = { setupDialogState: { dialogStack: [{ id: 'SETUP_DIALOG', state: { dialogs: { dialogStack: [] }, flow: { ...open, draft: { ...open.draft, step: 'approvers' } } } }] }, finishedSetups: [finished] };
    await rig.put(KEY, JSON.stringify(newer));
    await storage().read([KEY]).catch(() => undefined); // her turn: told it was set aside

    const next = await storage().read([KEY]);
    expect(next[KEY]?.finishedSetups).toEqual([finished]);
  });

  test.each([
    ['not JSON', '{"cut short'],
    ['a setup that fails beside finished setups', JSON.stringify({ setupDialogState: { dialogStack: [{ id: 'SETUP_DIALOG', v: 2 }] }, finishedSetups: [] })],
  ])('%s, rewritten between its read and its setting aside, is left to the next read, and nothing is kept aside', async (_, text) => {
    await rig.put(KEY, text);
    // Another turn writes over it right after this read: what it wrote is not set aside, nor written over.
    const racing: BotStateStore = {
      ...rig.store,
      readTexts: async (keys) => { const read = await rig.store.readTexts(keys); await rig.store.write({ [KEY]: { openSetup: { conversationId: 'new', inChannel: false } } }); return read; },
      setAside: (key, read, asideKey, rest) => rig.store.setAside(key, read, asideKey, rest),
      write: (changes) => rig.store.write(changes),
    };
    await expect(readableState(racing, createLogger('silent'), { schema: setupStateSchema, now: () => NOW }).read([KEY])).rejects.toThrow(StateSetAside);
    expect(await storage().read([KEY])).toEqual({ [KEY]: { openSetup: { conversationId: 'new', inChannel: false }, eTag: expect.any(String) } });
    expect(await rig.store.readTexts([asideKeyOf(KEY, NOW)])).toEqual({});
  });

  /** Sets aside what `key` holds, as a read `when` would have: the key then holds nothing until it is written again. */
  const setAsideAt = async (key: string, when: Date) => {
    await rig.put(key, '{"cut short');
    await expect(readableState(rig.store, createLogger('silent'), { now: () => when }).read([key])).rejects.toThrow(StateSetAside);
  };

  // They hold what people chose in a setup (the privacy page says for how long): a tenant with a writer that keeps
  // failing would otherwise gather them for ever.
  test('the housekeeping removes what was set aside over 30 days ago, keeps what was set aside yesterday and the person\'s live state, and logs how many it removed', async () => {
    await setAsideAt(KEY, daysAgo(31));
    await setAsideAt(OTHER, daysAgo(1));
    await rig.store.write({ [KEY]: { openSetup: { conversationId: 'since', inChannel: false } } }); // her turns went on
    const housekeeping = new StoreHousekeeping(
      { flowLocks: { pruneExpired: async () => 0 }, storage: rig.store },
      createLogger('info', { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } }),
      { now: () => NOW },
    );

    housekeeping.start(); // a pass at once
    await housekeeping.stop(); // waits for it

    expect(await rig.store.readTexts([asideKeyOf(KEY, daysAgo(31))])).toEqual({});
    expect((await rig.store.readTexts([asideKeyOf(OTHER, daysAgo(1))]))[asideKeyOf(OTHER, daysAgo(1))]?.text).toBe('{"cut short');
    expect(await storage().read([KEY])).toEqual({ [KEY]: { openSetup: { conversationId: 'since', inChannel: false }, eTag: expect.any(String) } });
    expect(logs).toEqual([expect.objectContaining({ level: 30, msg: 'bot state values set aside past their retention removed', removed: 1, keptDays: 30 })]);
  });

  test('a pass removes at most the number it is given, the oldest first; the next passes remove the rest, then nothing', async () => {
    const keys = [40, 35, 32].map((days) => ({ key: `${KEY}${days}`, at: daysAgo(days) }));
    for (const { key, at } of keys) await setAsideAt(key, at);
    const left = async () => Object.keys(await rig.store.readTexts(keys.map(({ key, at }) => asideKeyOf(key, at))));

    expect(await rig.store.pruneSetAside(daysAgo(30), 2)).toBe(2);
    expect(await left()).toEqual([asideKeyOf(keys[2].key, keys[2].at)]);
    expect(await rig.store.pruneSetAside(daysAgo(30), 2)).toBe(1);
    expect(await rig.store.pruneSetAside(daysAgo(30), 2)).toBe(0);
    expect(await left()).toEqual([]);
  });
});
