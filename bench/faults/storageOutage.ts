import { ADA, CHANNEL, execute, message } from '../../test/helpers/activities';
import { startHarness } from '../../test/helpers/harness';
import { launchAzurite } from '../../test/helpers/azurite';
import { freshPrefix } from '../../test/helpers/azurite';
import { ENGLISH } from '../../src/words/words';
import { VERBS } from '../../src/verbs';
import { atLeast, atMost, deliveryFigures, exactly, type Figure } from './figures';
import { startWatchRig } from './watchRig';

const STORAGE_DOWN_TEXT = ENGLISH.reply('error.storageDown');

const MINUTE = 60_000;

/**
 * (b) Azure Storage stops answering (Azurite frozen) for `minutes` in the middle of a poll and of people's
 * turns. Turns, in real time on the whole bot: answered within 5 s that storage is not answering,
 * /readyz 503 with the reason. The watcher, on the simulated clock: the lease is
 * lost and taken again, and no alert is lost or sent twice.
 */
export async function storageOutage(o: { speed: number; minutes: number; projects?: number; warmMinutes?: number }): Promise<Figure[]> {
  return [...(await turnsDuringOutage()), ...(await watcherDuringOutage(o))];
}

async function turnsDuringOutage(): Promise<Figure[]> {
  const azurite = await launchAzurite();
  const h = await startHarness({ STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STATE_PREFIX: freshPrefix() });
  try {
    await h.post(message(h.serviceUrl, 'help', 'channel', ADA));
    azurite.freeze!(true);
    const timed = async (activity: object) => { const started = Date.now(); const res = await h.post(activity); return { ...res, ms: Date.now() - started }; };
    const typed = await timed(message(h.serviceUrl, 'status', 'channel', ADA));
    const clicked = await timed(execute(h.serviceUrl, ADA, VERBS.pauseSchedule, { projectName: 'AccSync' }, 'card-1'));
    const told = h.connector.messages(CHANNEL).filter((c) => c.activity.text === STORAGE_DOWN_TEXT).length + (clicked.body.includes(STORAGE_DOWN_TEXT) ? 1 : 0);
    const ready = await fetch(`${h.app.url}/readyz`);
    const statuses = [typed.status, clicked.status].filter((s) => s >= 500).length;
    return [
      atMost('turn answered, message (s)', typed.ms / 1000, 5),
      atMost('turn answered, click (s)', clicked.ms / 1000, 5),
      exactly('turns told "storage is not answering"', told, 2),
      exactly('HTTP 5xx answers to Teams', statuses, 0),
      exactly('/readyz status', ready.status, 503),
    ];
  } finally {
    azurite.freeze!(false);
    await h.close();
    await azurite.stop();
  }
}

/** The watcher's part of (b), on the simulated clock (the short form in npm test runs it alone). */
export async function watcherDuringOutage(o: { speed: number; minutes: number; projects?: number; warmMinutes?: number }): Promise<Figure[]> {
  const projects = o.projects ?? 100;
  const rig = await startWatchRig({ store: 'azure', projects, channels: 10, everyMs: 2 * MINUTE, runMs: 30_000, speed: o.speed });
  try {
    const pollMs = 30_000;
    rig.lead();
    // Frozen a little after a poll started, so that the outage cuts one in the middle.
    const from = rig.t0 + (o.warmMinutes ?? 3) * MINUTE + 200;
    const to = from + o.minutes * MINUTE;
    await rig.runTo(from);
    rig.azurite!.freeze!(true);
    await rig.runTo(to);
    rig.azurite!.freeze!(false);
    await rig.runTo(to + 6 * pollMs);
    const expected = new Map<string, number>();
    for (let i = 0; i < projects; i++) for (const run of rig.endedBetween(i, from, to)) expected.set(run, i);
    return [
      atLeast('lease lost during the outage', rig.lease.lost, 1),
      atLeast('lease taken again (times gained)', rig.lease.gained, 2),
      atMost('lease taken again after storage answers (s)', (rig.lease.gainedAt - to) / 1000, 15 + pollMs / 1000),
      // Alerts go out again once the lease is back: counted from then.
      ...deliveryFigures(rig.posted(), expected, Math.max(to, rig.lease.gainedAt), pollMs),
    ];
  } finally {
    await rig.close();
  }
}
