import { Locator, Page } from 'playwright-core';

/** What the page posted to /playground/activity. */
export interface SentAction {
  kind: 'message' | 'submit' | 'execute';
  person: string;
  conversation: string;
  threadId?: string;
  replyToId?: string;
  verb?: string;
  trigger?: string;
  text?: string;
}

/** The server's answer: the bot's HTTP status and body, and the Teams activity it was sent. */
export interface ActionAnswer {
  status: number;
  body: { type?: string; value?: unknown } | null;
  activity: Record<string, unknown> & { id: string; text?: string };
}

const CARD = 'application/vnd.microsoft.card.adaptive';

/** The playground as a person uses it: by labels and roles, as a screen reader would. */
export class PlaygroundPage {
  /** Every action the page posted, in order. */
  readonly sent: SentAction[] = [];
  readonly messages: Locator;

  constructor(readonly page: Page) {
    this.messages = page.getByRole('log', { name: 'Messages' });
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/playground/activity')) this.sent.push(r.postDataJSON() as SentAction);
    });
  }

  /** Resolves with the next action the page posts that matches, and the answer it gets. */
  async nextAction(match: (a: SentAction) => boolean): Promise<{ sent: SentAction; answer: ActionAnswer }> {
    const res = await this.page.waitForResponse((r) =>
      r.request().method() === 'POST' && r.url().endsWith('/playground/activity') && match(r.request().postDataJSON() as SentAction));
    return { sent: res.request().postDataJSON() as SentAction, answer: (await res.json()) as ActionAnswer };
  }

  /** Types `text` in the compose box and sends it. */
  async say(text: string): Promise<{ sent: SentAction; answer: ActionAnswer }> {
    const posted = this.nextAction((a) => a.kind === 'message' && a.text === text);
    await this.page.getByLabel('Type a message').fill(text);
    await this.page.getByRole('button', { name: 'Send' }).click();
    return posted;
  }

  /** The channel thread whose root post contains `text`. */
  thread(text: string | RegExp): Locator {
    return this.messages.locator('.thread').filter({ has: this.page.locator('.thread-root').filter({ hasText: text }) });
  }

  /** The channel thread whose root post has the given activity id (e.g. the id of what `say` posted). */
  threadOf(rootId: string): Locator {
    return this.messages.locator(`.thread[data-thread-id="${rootId}"]`);
  }

  /** The bot's messages inside `within`. */
  botMessages(within: Locator = this.messages): Locator {
    return within.getByRole('article', { name: /^Bot message/ });
  }

  /** The message with the given activity id. */
  message(activityId: string): Locator {
    return this.messages.locator(`[data-message-id="${activityId}"]`);
  }

  async actAs(person: 'requester' | 'approver'): Promise<void> {
    await this.page.getByLabel('Signed in as').selectOption(person);
  }

  async open(conversation: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: conversation }).click();
  }

  /** Waits until `message` shows the bot's answer to an Action.Execute the way Teams shows it to the person who clicked. */
  async invokeAnswerShown(message: Locator, answer: ActionAnswer): Promise<void> {
    const { status, body } = answer;
    const notice = (text: string) => message.getByRole('status').filter({ hasText: text }).waitFor();
    if (status === 200 && body?.type === CARD) await message.locator('.card.own-view').waitFor();
    else if (body?.type === 'application/vnd.microsoft.activity.message') await notice(String(body.value));
    else if (body?.type === 'application/vnd.microsoft.error') await notice((body.value as { message: string }).message);
    else if (status !== 200) await notice(`answered ${status}`);
  }
}
