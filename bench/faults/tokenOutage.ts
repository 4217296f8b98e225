import { atMost, deliveryFigures, type Figure } from './figures';
import { startWatchRig } from './watchRig';

const MINUTE = 60_000;

/**
 * (d) The token service is down for `minutes`: each watch owner is asked once per conversation to sign in (not at
 * every poll, nor once per project), and watching resumes by itself once tokens come again: every run of the outage is alerted.
 */
export async function tokenOutage(o: { store: 'azure' | 'sqlite'; speed: number; minutes: number; projects?: number; warmMinutes?: number }): Promise<Figure[]> {
  const projects = o.projects ?? 100;
  let down = false;
  const rig = await startWatchRig({ store: o.store, projects, channels: 10, everyMs: 2 * MINUTE, runMs: 30_000, speed: o.speed, tokenService: { fails: () => down } });
  try {
    const pollMs = 30_000;
    rig.lead();
    const from = rig.t0 + (o.warmMinutes ?? 3) * MINUTE;
    const to = from + o.minutes * MINUTE;
    await rig.runTo(from);
    down = true;
    await rig.runTo(to);
    down = false;
    await rig.runTo(to + 4 * pollMs);
    const posted = rig.posted();
    const asks = posted.filter((p) => p.text.includes('Sign-in needed to keep watching'));
    // The rig's watches have one owner: asked once per conversation, not once per project.
    const perConversation = new Map<string, number>();
    for (const a of asks) perConversation.set(a.conversationId, (perConversation.get(a.conversationId) ?? 0) + 1);
    const expected = new Map<string, number>();
    for (let i = 0; i < projects; i++) for (const run of rig.endedBetween(i, from, to)) expected.set(run, i);
    return [
      atMost('sign-in requests per owner and conversation', Math.max(0, ...perConversation.values()), 1),
      atMost('sign-in requests in all (one owner, 10 channels)', asks.length, 10),
      ...deliveryFigures(posted, expected, to, pollMs),
    ];
  } finally {
    await rig.close();
  }
}
