import { ContainerClient } from '@azure/storage-blob';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { ADA, BOB, message } from '../helpers/activities';
import { cardText } from '../helpers/cardWalk';
import { Harness, startHarness } from '../helpers/harness';
import { click, clickActivity, newestCard, walkToStepFive } from '../helpers/setupWalk';
import { azureBackend, sqliteBackend, type StateBackend } from '../helpers/stateBackends';
import { openBotDatabase } from '../../src/storage/database';
import { ENGLISH } from '../../src/words/words';

const SET_ASIDE = ENGLISH.reply('error.stateSetAside');
const TURN_FAILED = ENGLISH.reply('error.turnFailed');
const STORAGE_DOWN = ENGLISH.reply('error.storageDown');

/** The bot state of one backend as stored, behind the bot's back: every value's text by key, and a way to overwrite one. */
interface RawState { texts(): Promise<Map<string, string>>; put(key: string, text: string): Promise<void>; close(): void }

function sqliteState(h: Harness): RawState {
  const db = openBotDatabase(h.dataDir);
  return {
    texts: async () => new Map((db.prepare('SELECT key, value FROM state').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value])),
    put: async (key, text) => { db.prepare('UPDATE state SET value = ? WHERE key = ?').run(text, key); },
    close: () => db.close(),
  };
}

/** A key as both backends store it: a blob's name is the key URI-encoded without its last slash (botbuilder's layout). */
const stored = (key: string) => key.replace(/\/$/, '');

/** Blob names listed decoded, so that both backends name a value alike. */
function blobState(env: Record<string, string>): RawState {
  const container = new ContainerClient(env.AZURE_STORAGE_CONNECTION_STRING!, `${env.AZURE_STATE_PREFIX}-state`);
  return {
    async texts() {
      const found = new Map<string, string>();
      for await (const blob of container.listBlobsFlat()) {
        found.set(decodeURIComponent(blob.name), (await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8'));
      }
      return found;
    },
    put: async (key, text) => { await container.getBlockBlobClient(sanitizeBlobKey(key)).upload(text, Buffer.byteLength(text)); },
    close: () => undefined,
  };
}

type Setup = { setupDialogState: { dialogStack: Array<Record<string, unknown> & { state: { flow: { draft: Record<string, unknown> } } }> } };

/** Ada's value as it turns unreadable: which of her two keys (her setup in this channel, or where her open setup is), and how. */
const CASES: Array<[string, 'setup' | 'whereOpen', (text: string) => string]> = [
  ['her setup, cut short (not JSON)', 'setup', (text) => text.slice(0, Math.floor(text.length / 2))],
  ['her setup, as a newer release keeps it (JSON that fails the schema)', 'setup', (text) => {
    const value = JSON.parse(text) as Setup;
    const [setup] = value.setupDialogState.dialogStack;
    value.setupDialogState.dialogStack = [{ id: setup!.id, v: 2, setup: setup!.state, secretNote: 'never logged' }] as never;
    return JSON.stringify(value);
  }],
  ['her setup at a step a newer release added (JSON that fails the schema)', 'setup', (text) => {
    const value = JSON.parse(text) as Setup;
    value.setupDialogState.dialogStack[0]!.state.flow.draft.step = 'approvers';
    return JSON.stringify(value);
  }],
  ['where her open setup is, hand-edited (not JSON)', 'whereOpen', (text) => text.replace(/}$/, ',}')],
];

// A bot state value that no longer reads back locked its person out: every turn that read it failed with the generic answer.
describe.each([sqliteBackend(), azureBackend()])('one unreadable bot state value, on $name', (backend: StateBackend) => {
  let h: Harness;
  let raw: RawState;
  const logs: Array<Record<string, unknown>> = [];
  afterEach(async () => { raw?.close(); await h?.close(); logs.length = 0; });
  afterAll(() => backend.stop());

  const texts = () => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];
  /** What the bot said in answer to one activity: its texts, and the new card it sent (not a card it froze). */
  const answerTo = async (activity: object) => {
    const before = h.connector.messages().length;
    expect((await h.post(activity)).status).toBe(200);
    const said = h.connector.messages().slice(before);
    return { texts: said.map((c) => c.activity.text).filter(Boolean), card: said.find((c) => c.kind !== 'update' && c.activity.attachments?.length)?.activity.attachments![0]!.content };
  };

  test.each(CASES)('%s: she is told it was set aside, her next turn works, nothing else is lost, and the log names the key only', async (_, which, spoil) => {
    const env = await backend.env();
    h = await startHarness({ ...env, LOG_LEVEL: 'warn' }, undefined, { logTo: { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } } });
    raw = backend.name === 'sqlite' ? sqliteState(h) : blobState(env);
    await h.post(message(h.serviceUrl, 'set up account sync', 'channel', ADA));
    const adaCard = newestCard(h);
    await h.post(message(h.serviceUrl, 'set up account sync', 'channel', BOB));
    const bobCard = newestCard(h);

    const before = await raw.texts();
    const key = [...before.keys()].find((k) => k.includes(`users/${ADA.id}`) && (which === 'setup') === k.includes('/conversations/'))!;
    const spoiled = spoil(before.get(key)!);
    await raw.put(key, spoiled);

    // Her click on her setup's card: told what happened, in one answer, instead of "something went wrong".
    const told = await answerTo(clickActivity(h.serviceUrl, adaCard, 'Continue'));
    expect(told.texts).toEqual([SET_ASIDE]);
    expect(told.card).toBeUndefined();
    expect(texts()).not.toContain(TURN_FAILED);
    expect(texts()).not.toContain(STORAGE_DOWN);

    // Set aside: the value moved, as it was, beside the others; every other value (hers, Bob's) untouched.
    const after = await raw.texts();
    expect(after.has(key)).toBe(false);
    const aside = [...after].filter(([k]) => !before.has(k));
    expect(aside).toEqual([[expect.stringContaining(stored(key)), spoiled]]);
    for (const [k, text] of before) if (k !== key) expect(after.get(k)).toBe(text);

    // Logged as a warning by store and key, never by content.
    const warned = logs.filter((l) => l.level === 40 && stored(String(l.key)) === stored(key));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ store: 'botState' });
    expect(stored(String(warned[0]!.setAsideAs))).toBe(stored(aside[0]![0]));
    expect(JSON.stringify(logs)).not.toMatch(/never logged|Ada Admin|"flow/);

    // Her next turn works: a setup set aside starts again; with only where it is set aside, her setup goes on.
    if (which === 'setup') {
      const again = await answerTo(message(h.serviceUrl, 'set up account sync', 'channel', ADA));
      expect(again.texts).toEqual([]);
      expect(cardText(again.card)).toContain('Step 1 of 5');
    } else {
      const on = await answerTo(clickActivity(h.serviceUrl, adaCard, 'Continue'));
      expect(cardText(on.card)).toContain('Step 2 of 5');
    }
    // Bob's setup in the same channel goes on, and she was told once.
    const bobOn = await answerTo(clickActivity(h.serviceUrl, bobCard, 'Continue', {}, BOB));
    expect(cardText(bobOn.card)).toContain('Step 2 of 5');
    expect(texts().filter((t) => t === SET_ASIDE)).toHaveLength(1);
  }, 60_000);

  // Her finished setups share the key of her open setup: only the setup that no longer reads back goes aside.
  test('her new setup at a step a newer release added: told it was set aside, and the step-5 card of her setup that ran still asks for a schedule', async () => {
    const env = await backend.env();
    h = await startHarness({ ...env, LOG_LEVEL: 'warn', SCHEDULE_APPROVERS: '00000000-0000-0000-0000-00000000b0b0' }, undefined, { logTo: { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>); } } });
    raw = backend.name === 'sqlite' ? sqliteState(h) : blobState(env);
    const stepFive = await walkToStepFive(h, 'Kept sync');
    await click(h, stepFive, 'Run now');
    await h.post(message(h.serviceUrl, 'set up account sync', 'channel', ADA));
    const newCard = newestCard(h);

    const [key, text] = [...await raw.texts()].find(([k, t]) => k.includes(`users/${ADA.id}`) && t.includes('setupDialogState'))!;
    const value = JSON.parse(text) as Setup & { finishedSetups: unknown[] };
    expect(value.finishedSetups).toHaveLength(1);
    value.setupDialogState.dialogStack[0]!.state.flow.draft.step = 'approvers';
    await raw.put(key, JSON.stringify(value));

    expect((await answerTo(clickActivity(h.serviceUrl, newCard, 'Continue'))).texts).toEqual([SET_ASIDE]);
    expect(logs.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ store: 'botState', removed: ['setupDialogState'] })]);

    const asked = await answerTo(clickActivity(h.serviceUrl, stepFive, 'Request schedule', { every: '10', unit: 'minutes' }));
    expect(asked.texts.join(' ')).toMatch(/Kept sync/);
    expect(h.connector.messages().filter((c) => /Schedule approval needed/.test(cardText(c.activity.attachments?.[0]?.content)))).toHaveLength(1);
  }, 90_000);
});
