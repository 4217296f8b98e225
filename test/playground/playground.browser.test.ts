import { Locator } from 'playwright-core';
import { Harness, startHarness } from '../helpers/harness';
import { PLAYGROUND_BOT, PLAYGROUND_CHANNEL, playgroundPeople } from '../../dev/playground/people';
import { crowdedActionBars, rawIds, rawTimestamps } from '../helpers/cardRules';
import { SANDBOX_ENVIRONMENTS, seedConnections } from '../../dev/sandbox/seed/tenant';
import { until } from '../helpers/tryOut';
import { openPage, PlaygroundBrowser } from './browser';
import { PlaygroundPage } from './playgroundPage';

// Ada (requester) and Bob (approver) walk through the playground in Chromium against the real bot
// (PORT=0) and its sandbox, step by step: help, a setup and its first run, a schedule request from the
// setup's card, "status" with the request waiting, Bob's approval, and the alert of the first scheduled run. Each step leaves a screenshot
// in test-artifacts/playground/ and the page must log no error. The README's screenshots are clipped
// from the same run into test-artifacts/playground/docs/; DOCS_SCREENSHOTS=1 also rewrites docs/screenshots/.
const APPROVER_AAD_ID = 'c0ffee00-0000-4000-8000-0000000000a1';
const people = playgroundPeople({ SCHEDULE_APPROVERS: [APPROVER_AAD_ID] });
const CARD = 'application/vnd.microsoft.card.adaptive';
/** Real milliseconds per schedule minute: a schedule of "every 1 minute" runs every 1.5 s. */
const MINUTE_MS = 1500;
/** A request lives 36 s here, so that its reminder (at half of it) comes during the walk. */
const APPROVAL_TTL_HOURS = 0.01;
const APPROVAL_TTL_MS = APPROVAL_TTL_HOURS * 3_600_000;
/** Ids of the sandbox's things that have names (environments, their organizations, connections): a card shows the names. */
const NAMED_IDS = [
  ...Object.values(SANDBOX_ENVIRONMENTS).flatMap((env) => [env.name, ...('dataverse' in env ? [env.dataverse.organizationId] : [])]),
  ...seedConnections().map((c) => c.name),
];

describe('the playground in a browser, against the real bot', () => {
  let h: Harness;
  let browser: PlaygroundBrowser;
  let pg: PlaygroundPage;
  // What a step leaves for the next ones.
  let runThread: Locator;
  let scheduleThread: Locator;
  let projectName = '';
  let approvalId = '';
  let requestId = '';

  beforeAll(async () => {
    h = await startHarness(
      { SCHEDULE_APPROVERS: `${APPROVER_AAD_ID},someone-else`, RUN_POLL_SECONDS: '1', APPROVAL_TTL_HOURS: String(APPROVAL_TTL_HOURS) },
      undefined,
      { sandbox: { minuteMs: MINUTE_MS }, alerts: { expirySweepMs: 500 } },
    );
    browser = await openPage(`${h.app.url}/playground`);
    pg = new PlaygroundPage(browser.page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });
  afterEach(async () => {
    expect(browser.errors).toEqual([]);
    // Every card the bot sent so far, as new Teams would show it: at most three primary buttons, no raw ISO time.
    const sent = h.connector.calls.flatMap((c) => (c.activity.attachments ?? []).filter((a) => a.contentType === CARD).map((a) => a.content));
    expect(sent.flatMap(crowdedActionBars)).toEqual([]);
    expect(sent.flatMap(rawTimestamps)).toEqual([]);
    expect(sent.flatMap((card) => rawIds(card, NAMED_IDS))).toEqual([]); // environments, organizations, connections have names
    expect(await browser.page.locator('#banner').isHidden()).toBe(true); // "could not reach the bot" and the like
  });

  test('1. "help" posted in the channel reaches the bot as Teams sends it; the welcome card answers in the post\'s thread', async () => {
    const { answer } = await pg.say('help');
    expect(answer.status).toBe(200);
    expect(answer.activity).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      text: `<at>${PLAYGROUND_BOT.name}</at> help`,
      entities: expect.arrayContaining([{ type: 'mention', mentioned: PLAYGROUND_BOT, text: `<at>${PLAYGROUND_BOT.name}</at>` }]),
      conversation: { id: `${PLAYGROUND_CHANNEL.id};messageid=${answer.activity.id}`, conversationType: 'channel' },
      from: { id: people.requester.id, name: 'Ada Admin' },
      serviceUrl: `${h.app.url}/_connector/`, // the port the bot really listens on
    });
    const thread = pg.thread('help');
    await thread.getByText('What you can ask me').waitFor();
    await thread.getByRole('button', { name: 'Show my projects' }).waitFor();
    expect(await pg.botMessages(thread).count()).toBe(1);
    await browser.docScreenshot('01-welcome', thread);
    await browser.screenshot('01-help-welcome-card');
  });

  test('2. the card\'s Action.Submit sends the button\'s data as the message value, and the answer lands in the same thread', async () => {
    const thread = pg.thread('help');
    const card = pg.botMessages(thread).first();
    const cardId = await card.getAttribute('data-message-id');
    const posted = pg.nextAction((a) => a.kind === 'submit');
    await card.getByRole('button', { name: 'Show my projects' }).click();
    const { answer } = await posted;
    expect(answer.status).toBe(200);
    expect(answer.activity).toMatchObject({ type: 'message', replyToId: cardId, value: { verb: 'command', command: 'status' } });
    expect(answer.activity.text).toBeUndefined();
    expect((answer.activity.conversation as { id: string }).id).toMatch(new RegExp(`;messageid=${await threadRootId(thread)}$`));
    await pg.botMessages(thread).nth(1).waitFor();
    await browser.screenshot('02-submit-show-my-projects');
  });

  test('3. switching to the approver and to a personal chat: their own conversation and identity', async () => {
    await pg.actAs('approver');
    await pg.thread('help').waitFor(); // the channel is shared
    await browser.page.getByText(APPROVER_AAD_ID).first().waitFor(); // who the approver is, for SCHEDULE_APPROVERS
    await pg.open('Data Integration');
    expect(await pg.messages.getByRole('article').count()).toBe(0);

    const { answer } = await pg.say('help');
    expect(answer.activity).toMatchObject({
      type: 'message', text: 'help',
      from: { id: people.approver.id, name: 'Bob Approver', aadObjectId: APPROVER_AAD_ID },
      conversation: { id: 'a:playground-chat-approver', conversationType: 'personal' },
    });
    await pg.messages.getByText('What you can ask me').waitFor();
    expect(await pg.messages.getByText('mention me first').count()).toBe(0);
    await browser.screenshot('03-approver-personal-chat');

    await pg.actAs('requester');
    expect(await pg.messages.getByRole('article').count()).toBe(0); // Ada's chat is not Bob's
    await pg.open('General');
    await pg.thread('help').waitFor();
  });

  // The page's mechanics on a card of known shape: this step posts one to the connector exactly as the bot's
  // sendActivity / updateActivity do, and the invokes it causes go to the real bot, whatever it answers
  // (steps 6 to 8 do the same with the bot's own approval and alert cards).
  test('4. Action.Execute and refresh per person: invokes as Teams sends them; an update replaces the card in place', async () => {
    const connector = `${h.app.url}/_connector/v3/conversations/${encodeURIComponent(PLAYGROUND_CHANNEL.id)}/activities`;
    const card = (text: string) => ({
      type: 'message', from: PLAYGROUND_BOT,
      attachments: [{
        contentType: CARD,
        content: {
          type: 'AdaptiveCard', version: '1.5',
          refresh: { action: { type: 'Action.Execute', verb: 'playgroundCheck.refresh', data: { n: 1 } }, userIds: [people.approver.id] },
          body: [{ type: 'TextBlock', text, wrap: true }, { type: 'Input.Text', id: 'note', label: 'Note', value: 'from Ada' }],
          actions: [{ type: 'Action.Execute', title: 'Check status', verb: 'playgroundCheck', data: { n: 1 } }],
        },
      }],
    });
    const sent = (await (await post(connector, 'POST', card('Everyone sees this version'))).json()) as { id: string };
    const message = pg.message(sent.id);
    await message.getByText('Everyone sees this version').waitFor();

    const clicked = pg.nextAction((a) => a.kind === 'execute' && a.trigger === 'manual');
    await message.getByRole('button', { name: 'Check status' }).click();
    const { answer } = await clicked;
    expect(answer.activity).toMatchObject({
      type: 'invoke', name: 'adaptiveCard/action', replyToId: sent.id,
      from: { id: people.requester.id },
      conversation: { id: `${PLAYGROUND_CHANNEL.id};messageid=${sent.id}` },
      value: { action: { type: 'Action.Execute', verb: 'playgroundCheck', data: { n: 1, note: 'from Ada' } }, trigger: 'manual' },
    });
    await pg.invokeAnswerShown(message, answer);
    await browser.screenshot('04a-execute-as-requester');

    const refresh = pg.nextAction((a) => a.kind === 'execute' && a.trigger === 'automatic');
    await pg.actAs('approver');
    const refreshed = (await refresh).answer;
    expect(refreshed.activity).toMatchObject({
      type: 'invoke', name: 'adaptiveCard/action', replyToId: sent.id,
      from: { id: people.approver.id, aadObjectId: APPROVER_AAD_ID },
      value: { action: { type: 'Action.Execute', verb: 'playgroundCheck.refresh', data: { n: 1 } }, trigger: 'automatic' },
    });
    await pg.invokeAnswerShown(message, refreshed);
    await browser.screenshot('04b-refresh-as-approver');

    const refreshAgain = pg.nextAction((a) => a.kind === 'execute' && a.trigger === 'automatic');
    expect((await post(`${connector}/${sent.id}`, 'PUT', { ...card('Updated for everyone'), id: sent.id })).status).toBe(200);
    await message.getByText('Updated for everyone').waitFor();
    await message.getByText('Edited').waitFor();
    expect(await message.getByText('Everyone sees this version').count()).toBe(0);
    expect(await pg.messages.locator(`[data-message-id="${sent.id}"]`).count()).toBe(1);
    await refreshAgain; // a new version of the card is refreshed again for the people it lists
    expect(pg.sent.filter((a) => a.trigger === 'automatic').map((a) => a.person)).toEqual(['approver', 'approver']);
    await browser.screenshot('04c-update-in-place');
    await pg.actAs('requester');
  });

  test('5. "set up account sync": one card per step in the post\'s thread, then "Run now": the bot updates its run card in place', async () => {
    const { answer } = await pg.say('set up account sync');
    runThread = pg.threadOf(answer.activity.id);
    const cards = pg.botMessages(runThread);
    const step = stepper(cards);
    await cards.first().getByRole('button', { name: 'Continue', exact: true }).waitFor();
    await browser.docScreenshot('02-setup-prerequisites', cards.first());
    const connectionSet = await step('Continue');
    await browser.docScreenshot('03-setup-connection-set', connectionSet);
    const project = await step('Next');
    await project.getByLabel(/privacy notice/i).check();
    await browser.docScreenshot('04-setup-project', project);
    const review = await step('Next');
    await browser.docScreenshot('05-setup-review', review);
    const last = await step('Create');
    await last.getByText('Step 5 of 5: run or schedule').waitFor();
    await browser.screenshot('05a-setup-run-or-schedule');
    const run = await step('Run now');
    await run.getByText('Edited').waitFor({ timeout: 20_000 });
    await run.getByText(/ (succeeded|finished with errors|failed)$/).first().waitFor();
    await run.getByRole('button', { name: 'Run again', exact: true }).waitFor(); // issue 12: the result offers the next step
    await browser.docScreenshot('06-run-result', run);
    await browser.screenshot('05b-run-card-updated');
    // Issue 32, item 1: the step-5 card is frozen to what was done, pointing at the run's card; no button is left on it.
    await last.getByText(/^Run of .+ started: its card is below and shows the result\./).waitFor();
    expect(await last.getByRole('button').count()).toBe(0);
    await browser.docScreenshot('10-setup-step5-frozen', last);

    // "Run again" on the result starts a second run, whose own card follows in the thread and ends the same way.
    const again = await step('Run again');
    await again.getByText(/ (succeeded|finished with errors|failed)$/).first().waitFor({ timeout: 20_000 });
    await again.getByRole('button', { name: 'Run again', exact: true }).waitFor();
    await browser.screenshot('05c-run-again');
  }, 60_000);

  test('6. "Request schedule" on the setup\'s last card: the approval card offers Approve/Reject to the approver only (refresh.userIds)', async () => {
    const { answer: post } = await pg.say('set up account sync'); // a second project, scheduled from the card this time
    scheduleThread = pg.threadOf(post.activity.id);
    const cards = pg.botMessages(scheduleThread);
    const step = stepper(cards);
    await step('Continue');
    const project = await step('Next');
    // Another template than the default: "Preview template" redraws the same card with its mapping and a name that follows it.
    await project.getByLabel('Template', { exact: true }).selectOption({ label: 'Contacts (Sales to CDS)' });
    await project.getByRole('button', { name: 'Preview template', exact: true }).click();
    await until('the suggested name follows the template', async () => /^Contacts/.test(await project.getByLabel('Project name').inputValue()), 10_000);
    await project.getByText('Preview of Contacts (Sales to CDS)').waitFor();
    await project.getByText(/^contact → contact/).waitFor();
    expect(await project.getByText(/^(Preview of Accounts|account → account)/).count()).toBe(0);
    expect(await cards.count()).toBe(3); // updated in place, not a copy
    await project.getByLabel(/privacy notice/i).check();
    const review = await step('Next');
    await review.getByText(/Contacts/).first().waitFor();
    const last = await step('Create');
    projectName = /Project (.+) is ready/.exec((await last.getByText(/^Project .+ is ready$/).textContent()) ?? '')?.[1] ?? '';
    expect(projectName).toMatch(/^Contacts/);
    const lastId = await last.getAttribute('data-message-id');

    // A bad recurrence: the card's own rule answers next to the field and nothing is sent...
    const submits = () => pg.sent.filter((a) => a.kind === 'submit').length;
    const before = submits();
    await last.getByLabel('Recur every').fill('0');
    await last.getByRole('button', { name: 'Request schedule', exact: true }).click();
    await last.getByText('Enter a whole number from 1 to 1000.').waitFor();
    expect(submits()).toBe(before);
    // ...one the card lets through is answered by the bot, next to the field, on the same card.
    const checked = pg.nextAction((a) => a.kind === 'submit');
    await last.getByLabel('Recur every').fill('2.5');
    await last.getByRole('button', { name: 'Request schedule', exact: true }).click();
    await checked;
    const redrawn = pg.message(lastId!);
    await redrawn.getByText('Edited').waitFor(); // the bot redrew it with its own check under the field
    await redrawn.getByText('Enter a whole number from 1 to 1000.').waitFor();
    expect(await redrawn.getByLabel('Recur every').inputValue()).toBe('2.5'); // what was typed is kept
    await browser.screenshot('06-bad-recurrence');
    expect(await cards.count()).toBe(5);

    // Then a good one.
    await redrawn.getByLabel('Recur every').fill('1');
    await redrawn.getByLabel('Unit').selectOption('minutes');
    const requested = pg.nextAction((a) => a.kind === 'submit');
    const approval = await step('Request schedule');
    expect((await requested).answer.activity).toMatchObject({
      type: 'message', from: { id: people.requester.id },
      value: { verb: 'setup', step: 'runOrSchedule', action: 'schedule', every: '1', unit: 'minutes' },
    });
    approvalId = (await approval.getAttribute('data-message-id'))!;
    await approval.getByText('Schedule approval needed').waitFor();
    await approval.getByText(`asks to run ${projectName} every minute`).waitFor();

    // Ada, who asked, is not in refresh.userIds: she sees the card everyone sees, naming the approver, with no button at all.
    await approval.getByText('Waiting for Bob Approver to approve or reject.').waitFor();
    expect(await approval.getByRole('button').count()).toBe(0);
    expect(await approval.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    expect(await approval.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
    await browser.screenshot('06a-approval-card-as-requester');

    // Issue 32, item 2: "status" shows the request waiting: for what, who asked, when, and until when it stays open.
    const { answer: asked } = await pg.say('status');
    const list = pg.botMessages(pg.threadOf(asked.activity.id)).first();
    await list.getByText(new RegExp(`^every minute, asked by Ada Admin .+; open until `)).waitFor();
    await browser.docScreenshot('11-status-request-waiting', list);

    // Bob is listed: his client asks for his own view at once, which has the buttons.
    const refresh = pg.nextAction((a) => a.kind === 'execute' && a.trigger === 'automatic' && a.replyToId === approvalId);
    await pg.actAs('approver');
    const { answer } = await refresh;
    expect(answer.activity).toMatchObject({
      type: 'invoke', name: 'adaptiveCard/action', replyToId: approvalId,
      from: { id: people.approver.id, aadObjectId: APPROVER_AAD_ID },
      conversation: { id: `${PLAYGROUND_CHANNEL.id};messageid=${post.activity.id}` },
      value: { action: { verb: 'scheduleRefresh', data: { requestId: expect.any(String) } }, trigger: 'automatic' },
    });
    expect(answer).toMatchObject({ status: 200, body: { type: CARD } });
    requestId = (answer.activity.value as { action: { data: { requestId: string } } }).action.data.requestId;
    const mine = pg.message(approvalId);
    await pg.invokeAnswerShown(mine, answer);
    await mine.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await mine.getByRole('button', { name: 'Reject', exact: true }).waitFor();
    await mine.getByLabel('Comment (optional)').waitFor();
    expect(await mine.getByText(/^Waiting for/).count()).toBe(0);
    // Only the people the card lists refresh it: Ada's page never asked.
    expect(pg.sent.filter((a) => a.trigger === 'automatic' && a.replyToId === approvalId).map((a) => a.person)).toEqual(['approver']);
    await browser.docScreenshot('07-approval-as-approver', mine);
    await browser.screenshot('06b-approval-card-as-approver');
  }, 60_000);

  test('6b. an unanswered request reminds the approver once, at half its time to live, under the card', async () => {
    const reminder = pg.page.getByText(new RegExp(`reminder, Ada Admin asked to run "${escapeRegExp(projectName)}" every minute`));
    await reminder.first().waitFor({ timeout: APPROVAL_TTL_MS });
    expect(await reminder.count()).toBe(1);
    await browser.screenshot('06c-reminder');
  }, APPROVAL_TTL_MS + 5_000);

  test('7. approve it as the approver: the card updates in place, for the requester too', async () => {
    const card = pg.message(approvalId);
    const approve = pg.nextAction((a) => a.kind === 'execute' && a.trigger === 'manual' && a.replyToId === approvalId);
    await card.getByLabel('Comment (optional)').fill('Fine for the demo');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    const { answer } = await approve;
    expect(answer.activity).toMatchObject({
      type: 'invoke', from: { id: people.approver.id },
      value: { action: { verb: 'scheduleApprove', data: { requestId, comment: 'Fine for the demo' } }, trigger: 'manual' },
    });
    expect(answer).toMatchObject({ status: 200, body: { type: CARD } });
    // The bot answers the click at once, then updates the message for everyone (PUT) once the schedule is saved.
    await card.getByText(/Scheduled\. First run/).waitFor({ timeout: 15_000 });
    await card.getByText('Edited').waitFor();
    expect(await card.locator('.card.own-view').count()).toBe(0); // an update replaces the view he was answered with
    expect(await card.getByRole('button').count()).toBe(0);
    await browser.screenshot('07a-approved-as-approver');

    await pg.actAs('requester');
    const hers = pg.message(approvalId);
    await hers.getByText('Schedule approved').waitFor();
    await hers.getByText('Bob Approver', { exact: true }).waitFor(); // "Approved by"
    await hers.getByText('“Fine for the demo”').waitFor();
    await hers.getByText(/Scheduled\. First run/).waitFor();
    await hers.getByText('Edited').waitFor();
    expect(await hers.getByRole('button').count()).toBe(0);
    expect(await pg.messages.locator(`[data-message-id="${approvalId}"]`).count()).toBe(1);
    await browser.docScreenshot('08-schedule-approved', hers);
    await browser.screenshot('07b-approved-as-requester');
  });

  test('8. a scheduled run posts the run-completed alert in the project\'s thread; "Pause schedule" on it stops the schedule', async () => {
    // A run alert says when the run finished; the result card of "Run now" (which also offers "Run again") does not.
    const alerts = pg.botMessages(scheduleThread).filter({ hasText: /Finished .+\. (Next run|Schedule paused|Not scheduled)/ });
    const alert = alerts.first();
    await alert.waitFor({ timeout: 20_000 }); // a sandbox minute is 1.5 s and the watcher polls every second
    await alert.getByText(new RegExp(`${escapeRegExp(projectName)} (succeeded|finished with errors|failed)$`)).waitFor();
    await alert.getByText(/^Finished .+\. Next run/).waitFor(); // the schedule is on
    await alert.getByRole('button', { name: 'Pause schedule', exact: true }).waitFor();
    await browser.docScreenshot('09-run-alert', alert);
    await browser.screenshot('08a-run-alert');

    const pause = pg.nextAction((a) => a.kind === 'execute' && a.verb === 'schedulePause');
    await alert.getByRole('button', { name: 'Pause schedule', exact: true }).click();
    const { answer } = await pause;
    expect(answer.activity).toMatchObject({ from: { id: people.requester.id }, value: { action: { data: { projectName } } } });
    await pg.invokeAnswerShown(alert, answer);
    // Issue 12: the alert is redrawn as the schedule now stands: "paused", and Resume instead of Pause.
    await alert.getByText(/Schedule paused\./).waitFor();
    await alert.getByRole('button', { name: 'Resume schedule', exact: true }).waitFor();
    expect(await alert.getByRole('button', { name: 'Pause schedule', exact: true }).count()).toBe(0);
    expect(await alert.getByText(/Next run/).count()).toBe(0);
    // The run started with "Run now" was shown on its own card: the watcher does not report it again.
    expect(await pg.botMessages(runThread).filter({ hasText: /Finished .+\. (Next run|Schedule paused|Not scheduled)/ }).count()).toBe(0);
    await browser.screenshot('08b-schedule-paused');

    // And back: Resume on the same alert turns it on again.
    const resume = pg.nextAction((a) => a.kind === 'execute' && a.verb === 'scheduleResume');
    await alert.getByRole('button', { name: 'Resume schedule', exact: true }).click();
    await pg.invokeAnswerShown(alert, (await resume).answer);
    await alert.getByText(/Next run/).waitFor();
    await alert.getByRole('button', { name: 'Pause schedule', exact: true }).waitFor();
  }, 60_000);

  test('9. "status" lists both projects with their last run and schedule; "Pause schedule" there pauses it and the list says so', async () => {
    const { answer } = await pg.say('status');
    const list = pg.botMessages(pg.threadOf(answer.activity.id)).first();
    await list.getByText('Data Integration projects').waitFor();
    await list.getByText(projectName, { exact: true }).waitFor();
    await list.getByText(/^every minute, next /).waitFor();
    await browser.screenshot('09a-status');
    // Only the scheduled project can be paused.
    expect(await list.getByRole('button', { name: 'Run now', exact: true }).count()).toBe(2);
    const pause = pg.nextAction((a) => a.kind === 'execute' && a.verb === 'schedulePause');
    await list.getByRole('button', { name: 'Pause schedule', exact: true }).click();
    const paused = (await pause).answer;
    expect(paused.activity).toMatchObject({ value: { action: { data: { projectName } } } });
    await pg.invokeAnswerShown(list, paused);
    await list.getByText(/^every minute, paused by Ada Admin since /).waitFor(); // who paused it, and since when (issue 32, item 2)
    await list.getByRole('button', { name: 'Resume schedule', exact: true }).waitFor();
    expect(await list.getByRole('button', { name: 'Pause schedule', exact: true }).count()).toBe(0);
    await browser.screenshot('09b-paused-from-status');
  }, 30_000);
});

/** Clicks `button` on the newest card of `cards` and waits for the bot's next message, which it returns. */
function stepper(cards: Locator) {
  return async (button: string): Promise<Locator> => {
    const target = cards.last().getByRole('button', { name: button, exact: true });
    await target.waitFor();
    const count = await cards.count();
    await target.click();
    await cards.nth(count).waitFor();
    return cards.nth(count);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function threadRootId(thread: Locator): Promise<string | null> {
  return thread.getAttribute('data-thread-id');
}

function post(url: string, method: 'POST' | 'PUT', body: unknown): Promise<Response> {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
