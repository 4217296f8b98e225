/**
 * "status" in a tenant with many Data Integrator projects (a template per entity and environment pair adds up): the list
 * is one card, which Teams refuses past about 28 KB (30 projects made 27.7 KB, 100 made 92 KB). The card shows as many
 * as fit, keeps those that need a look, says how many it shows and how to reach another; "status NAME" narrows it.
 */
import { parseCommand } from '../../src/commands';
import { PROJECTS_READ_AT_ONCE, projectOverview } from '../../src/projects/projectOverview';
import { CARD_BYTES_MAX, cardBytes } from '../../src/render/cardFit';
import { projectListCard } from '../../src/render/projectCards';
import { ENGLISH, wordsFor } from '../../src/words/words';
import { cardProblems } from '../helpers/cards';
import { cardText } from '../helpers/cardWalk';
import { FakeIntegration } from '../helpers/fakeIntegration';

const name = (i: number) => `Accounts (Sales to CDS) ${String(i).padStart(3, '0')}`;
const tenant = () => {
  const fake = new FakeIntegration();
  for (let i = 0; i < 100; i++) {
    fake.addProject(name(i), { kind: 'recurring', every: 5, unit: 'minutes' });
    fake.addRun(name(i), { id: `e${i}`, status: i === 93 ? 'failed' : 'succeeded', endedAt: '2026-12-07T09:00:00.000Z' });
  }
  return fake;
};

describe('"status" with 100 projects', () => {
  test.each([['en-GB', /Showing (\d+) of 100 projects/], ['de-DE', /(\d+) von 100 Projekten/]])('one card Teams accepts, the failed one kept, how many shown and how to see another (%s)', async (locale, shownLine) => {
    const card = projectListCard(await projectOverview(tenant().client), wordsFor({ locale }));
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    const shown = Number(text.match(shownLine)?.[1]);
    expect(shown).toBeGreaterThanOrEqual(20);
    expect(text.match(/Accounts \(Sales to CDS\) \d{3}/g)).toHaveLength(shown);
    expect(text).toContain(name(93));
    expect(text).toContain('"status');
  });

  test('"status 093" reads and shows that project only, and its Pause carries the name part so the redrawn card shows the same', async () => {
    expect(parseCommand('status 093')).toEqual({ name: 'status', filter: '093' });
    const fake = tenant();
    const card = projectListCard(await projectOverview(fake.client, undefined, '093'), ENGLISH, '093');
    expect(fake.calls.filter((c) => c === 'listExecutions')).toHaveLength(1);
    expect(cardText(card)).toContain(name(93));
    expect(cardText(card)).not.toMatch(/Showing|Accounts \(Sales to CDS\) 0[^9]/);
    expect(JSON.stringify(card)).toContain('"view":"status:093"');
  });

  test('"status" and a name part no project has says so and how to see them all', async () => {
    const card = projectListCard(await projectOverview(tenant().client, undefined, 'contacts'), ENGLISH, 'contacts');
    expect(cardText(card)).toContain('No project has "contacts" in its name. Type "status" to see them all.');
    expect(cardText(card)).not.toContain('No projects yet');
  });
});

describe('"status" reading 100 projects', () => {
  test(`reads ${PROJECTS_READ_AT_ONCE} projects at a time, not all at once, and lists them all in the service's order`, async () => {
    const fake = tenant();
    let inFlight = 0;
    let most = 0;
    const slow = <T>(call: () => Promise<T>) => async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      try { return await call(); } finally { inFlight--; }
    };
    const client = fake.client;
    const listed = await projectOverview({ ...client, listExecutions: (p) => slow(() => client.listExecutions(p))(), getSchedule: (p) => slow(() => client.getSchedule(p))() });
    expect(listed.map((p) => p.name)).toEqual(Array.from({ length: 100 }, (_, i) => name(i)));
    expect(most).toBeLessThanOrEqual(2 * PROJECTS_READ_AT_ONCE);
  });
});
