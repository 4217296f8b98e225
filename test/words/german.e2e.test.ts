import { message, submit } from '../helpers/activities';
import { cardAction, cardInputs, cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';
import { Harness, startHarness } from '../helpers/harness';

/** A person whose Teams speaks German, in Berlin: the activity's locale and localTimezone say so. */
const inGerman = <A extends { locale?: string }>(activity: A) => ({ ...activity, locale: 'de-DE', localTimezone: 'Europe/Berlin' });
const cardsOf = (h: Harness) => h.connector.messages().flatMap((c) => (c.activity.attachments ?? []).map((a) => a.content as Record<string, unknown>));
const lastCard = (h: Harness) => cardsOf(h).at(-1)!;
const textsOf = (h: Harness) => h.connector.messages().map((c) => c.activity.text).filter(Boolean) as string[];

async function click(h: Harness, title: string, changes: Record<string, string> = {}) {
  const card = lastCard(h);
  expect((await h.post(inGerman(submit(h.serviceUrl, { ...cardInputs(card), ...changes, ...cardAction(card, title) })))).status).toBe(200);
}

describe('a person whose Teams speaks German is answered in German (issue 29, item 2)', () => {
  let h: Harness;
  afterEach(async () => { await h?.close(); });

  test('replies, the setup cards and the status card are German; commands stay what they are', async () => {
    h = await startHarness();
    await h.post(inGerman(message(h.serviceUrl, 'hallo **du**')));
    expect(textsOf(h).at(-1)).toBe('"hallo \\*\\*du\\*\\*" kenne ich leider nicht. Tippe "help", um zu sehen, was ich kann, oder "set up account sync", um anzufangen.');

    await h.post(inGerman(message(h.serviceUrl, 'set up account sync')));
    expect(cardText(lastCard(h))).toContain('Schritt 1 von 5: Voraussetzungen');
    await click(h, 'Weiter');
    expect(cardText(lastCard(h))).toContain('Schritt 2 von 5: Verbindungssatz');
    await click(h, 'Weiter', { mode: 'new' });
    await click(h, 'Weiter', { name: 'Deutsch sync', consent: 'false' });
    expect(cardText(lastCard(h))).toContain('Ohne deine Zustimmung zum Datenschutzhinweis kann das Projekt nicht angelegt werden.');
    await click(h, 'Weiter', { name: 'Deutsch sync', consent: 'true' });
    expect(cardText(lastCard(h))).toContain('Prüfen und anlegen');
    await click(h, 'Anlegen');
    const stepFive = lastCard(h);
    expect(cardProblems(stepFive)).toEqual([]);
    expect(cardText(stepFive)).toContain('Das Projekt Deutsch sync ist bereit');

    // The watcher puts the result on the run's card in the words of the person who set the project up.
    await click(h, 'Jetzt ausführen');
    const result = (await h.connector.waitFor((c) => c.kind === 'update' && /Deutsch sync: (erfolgreich|mit Fehlern beendet|fehlgeschlagen)/.test(cardText(c.activity.attachments?.[0]?.content)), 20_000)).activity.attachments![0].content;
    expect(cardProblems(result)).toEqual([]);
    expect(cardText(result)).toMatch(/Upserts \| \d+/);
    expect(cardAction(result, 'Erneut ausführen')).toEqual({ verb: 'command', command: 'run Deutsch sync' });

    await h.post(inGerman(message(h.serviceUrl, 'status')));
    expect(cardText(lastCard(h))).toContain('Data-Integration-Projekte');
    expect(cardText(lastCard(h))).toContain('Deutsch sync');
  }, 60_000);

  test('a service down at step 2 is told in German, without the service\'s internal id, with what to do next', async () => {
    h = await startHarness({ HTTP_MAX_RETRIES: '0' });
    await h.post(inGerman(message(h.serviceUrl, 'set up account sync')));
    await click(h, 'Weiter');
    h.app.sandbox!.faults.inject({ route: 'listEnvironments', status: 503 });
    await click(h, 'Weiter', { name: 'MeinSatz' });
    const problem = cardText(h.connector.messages().at(-1)!.activity.attachments![0].content);
    expect(problem).toContain('Die Power Platform antwortet nicht');
    expect(problem).not.toMatch(/\bbap\b/);
    expect(problem).toContain('Klicke in einer Minute auf "Erneut versuchen".');
  }, 30_000);

  test('an English-speaking person in the same conversation is still answered in English', async () => {
    h = await startHarness();
    await h.post(message(h.serviceUrl, 'hello'));
    expect(textsOf(h).at(-1)).toMatch(/^Sorry, I don't know "hello"/);
    await h.post({ ...message(h.serviceUrl, 'hello'), locale: 'fr-FR' });
    expect(textsOf(h).at(-1)).toMatch(/^Sorry, I don't know "hello"/);
  }, 30_000);
});
