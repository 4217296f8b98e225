import { Request, Response } from 'restify';
import { Logger } from '../../src/logger';
import { PersonKey, PlaygroundPerson } from './people';
import { pageActionSchema, TeamsActivity, teamsActivityFor } from './teamsActivities';
import { Transcript } from './transcript';

/** Teams gives up on a bot after about 15 s; so does the playground. */
const BOT_TIMEOUT_MS = 15_000;

/** What POST /playground/activity needs. */
export interface PageActionDeps {
  people: Record<PersonKey, PlaygroundPerson>;
  transcript: Transcript;
  logger: Logger;
  /** The bot's own address, e.g. http://localhost:3978, known once the server listens. */
  botUrl: () => string;
  /** Where the bot sends its replies: the local connector. */
  serviceUrl: () => string;
}

/** What the page gets back: the bot's HTTP status and body (the invoke response for an Action.Execute). */
export interface PageActionAnswer { status: number; body: unknown; activity: TeamsActivity }

/**
 * POST /playground/activity: turns what the person typed or clicked into the activity Teams would
 * send, shows typed text in the conversation, posts the activity to the bot's /api/messages, and
 * answers with the bot's answer.
 */
export async function handlePageAction(deps: PageActionDeps, req: Request, res: Response): Promise<void> {
  if (!req.is('application/json')) {
    res.send(415, { error: 'Send the action as application/json' });
    return;
  }
  const parsed = pageActionSchema.safeParse(req.body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ');
    res.send(400, { error: `Not a valid playground action: ${fields}` });
    return;
  }
  const activity = teamsActivityFor(parsed.data, deps.serviceUrl(), deps.people);
  if (parsed.data.kind === 'message') {
    deps.transcript.add({ kind: 'user', conversationId: activity.conversation.id, activityId: activity.id, activity, at: Date.now() });
  }
  try {
    const answer = await postToBot(`${deps.botUrl()}/api/messages`, activity);
    res.send(200, { ...answer, activity } satisfies PageActionAnswer);
  } catch (err) {
    deps.logger.warn({ err, conversationId: activity.conversation.id, activityId: activity.id }, 'the bot did not answer the playground');
    res.send(502, { error: 'The bot did not answer: see its log' });
  }
}

async function postToBot(url: string, activity: TeamsActivity): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(BOT_TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}
