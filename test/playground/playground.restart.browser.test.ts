import { Harness, startHarness, tempDataDir } from '../helpers/harness';
import { openPage, PlaygroundBrowser } from './browser';
import { PlaygroundPage } from './playgroundPage';

// Ada starts a setup in the playground's channel, then the bot restarts (stopped, and started again on
// the same port with the same DATA_DIR, as `npm start` after Ctrl+C does). The page must say that it lost
// the bot and is reconnecting, then that the bot restarted; it keeps the thread it showed, and the setup
// carries on there (issue 12, item 22).
describe('the playground across a restart of the bot', () => {
  let h: Harness | undefined;
  let browser: PlaygroundBrowser;
  afterEach(async () => {
    await browser?.close();
    await h?.close();
  });

  test('reconnects and says so; the page keeps its thread, typing there brings the setup\'s card back, and the note goes once Ada carries on', async () => {
    const dataDir = tempDataDir();
    // The first start takes a port the kernel picks; the restart asks for that same port again.
    h = await startHarness({ PORT: '0' }, dataDir);
    const port = new URL(h.app.url).port;
    const start = () => startHarness({ PORT: port }, dataDir);
    browser = await openPage(`${h.app.url}/playground`);
    const pg = new PlaygroundPage(browser.page);
    const banner = browser.page.getByRole('alert');

    const { answer } = await pg.say('set up account sync');
    const thread = pg.threadOf(answer.activity.id);
    const cards = pg.botMessages(thread);
    await cards.first().getByRole('button', { name: 'Continue', exact: true }).click();
    await thread.getByText('Step 2 of 5: connection set').waitFor();

    await h.close();
    h = undefined;
    await banner.filter({ hasText: 'Lost the connection to the bot: reconnecting…' }).waitFor();

    h = await start();
    await banner.filter({ hasText: 'The bot restarted. It kept your setup and projects' }).waitFor({ timeout: 15_000 });
    expect(await thread.getByText('Step 2 of 5: connection set').count()).toBe(1); // the page is not blank

    await thread.getByRole('button', { name: 'Reply' }).click();
    const before = await cards.count();
    const typed = await pg.say('where was I?');
    expect(typed.answer.status).toBe(200);
    await thread.getByText('Your setup is waiting at step 2 of 5 (connection set)').waitFor();
    await cards.nth(before + 1).getByRole('button', { name: 'Next', exact: true }).waitFor();
    // The copy from before the restart is frozen (the bot updated it in place), so one card has buttons.
    await thread.getByText('Moved below: use the newest card.').waitFor();
    expect(await thread.getByRole('button', { name: 'Next', exact: true }).count()).toBe(1);
    expect(await banner.isHidden()).toBe(true); // Ada carried on: the note about the restart is past

    await cards.last().getByRole('button', { name: 'Next', exact: true }).click();
    await thread.getByText('Step 3 of 5: project').waitFor();
    await browser.screenshot('restart-setup-carries-on');
    expect(browser.errors).toEqual([]);
  }, 60_000);
});
