import { Activity, Middleware, TurnContext } from 'botbuilder';
import type { ScheduleAsk } from '../../src/features/approvals/approvalCommands';
import type { RunStart } from '../../src/features/runs/runStarter';
import { said } from '../../src/words/words';
import { DialogTestClient } from 'botbuilder-testing';
import { SetupDialog } from '../../src/features/setup/setupDialog';
import type { RecurringRecurrence } from '../../src/integration/port';
import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { createLogger } from '../../src/logger';
import { turnLoggerMiddleware } from '../../src/teams/turnLogger';
import { Sandbox, SeedOptions, startSandbox } from '../../dev/sandbox';
import { cardAction, cardInputs, cardText } from './cardWalk';
import { tempDataDir } from './harness';

/** One turn of a table: what the person does, and what they must then read. */
export type Turn = { say?: string; click?: string; changes?: Record<string, string>; stale?: number; expect: RegExp };

/** A message the dialog sent, or an update of one, in the order they happened. */
export interface Shown { kind: 'send' | 'update'; id?: string; activity: Partial<Activity> }

/** The setup dialog against a real sandbox, with what it showed as a person in Teams would see it. */
export interface SetupDialogRig {
  client: DialogTestClient;
  sandbox: Sandbox;
  di: DataIntegration;
  runs: string[];
  schedules: Array<[string, Omit<RecurringRecurrence, 'kind'>]>;
  shown: Shown[];
  /** How many of the next updates fail, as Teams refuses to edit a message that is too old. */
  failUpdates: number;
  /** The warnings and errors the turns logged, one JSON object each. */
  logs: Array<Record<string, unknown>>;
}

/** The token in the request of a refused update: it must reach no log line. */
export const REFUSED_TOKEN = 'token-of-a-refused-update';

/** What a recorder writes to: what was shown, and how many of the next updates to refuse. */
export type ShownLog = Pick<SetupDialogRig, 'shown' | 'failUpdates'>;

/** Records every send and update of a turn in `r.shown`; fails updates while `r.failUpdates` says so. */
export function showRecorder(r: ShownLog): Middleware {
  return {
    async onTurn(context, next) {
      context.onSendActivities(async (_c, activities, send) => {
        const responses = await send();
        activities.forEach((activity, i) => r.shown.push({ kind: 'send', id: responses[i]?.id, activity }));
        return responses;
      });
      context.onUpdateActivity(async (_c, activity, update) => {
        if (r.failUpdates > 0) {
          r.failUpdates--;
          // As a connector error is: with the request that failed, and with it the bot's token.
          throw Object.assign(new Error('The message can no longer be edited'), { statusCode: 403, code: 'Forbidden', request: { headers: { authorization: `Bearer ${REFUSED_TOKEN}` } } });
        }
        r.shown.push({ kind: 'update', id: activity.id, activity });
        await update();
      });
      await next();
    },
  };
}

/** A stand-in "Run now" that started the run: it says so, as the run's own card would. */
export async function startedRun(context: TurnContext, projectName: string): Promise<RunStart> {
  await context.sendActivity(`run of ${projectName} started`);
  return { kind: 'started', executionId: `run-of-${projectName}`, said: said('run.started', { project: projectName }) };
}

/** A stand-in "Request schedule" that asked: it says so, as the approval card would. */
export async function askedSchedule(context: TurnContext, projectName: string): Promise<ScheduleAsk> {
  await context.sendActivity(`schedule of ${projectName} requested`);
  return { kind: 'requested' };
}

/** A deadline for the dialog tests' calls to their in-process sandbox: the product's default HTTP_TIMEOUT_MS. */
export const SANDBOX_DEADLINE_MS = 15_000;

/** A fresh sandbox and a setup dialog whose "Run now" and "Request schedule" only record and say what they got. */
export async function setupDialogRig(seed?: SeedOptions): Promise<SetupDialogRig> {
  const sandbox = await startSandbox({ port: 0, dataDir: tempDataDir(), seed });
  // The product's own deadline (HTTP_TIMEOUT_MS): these tests walk the dialog and time nothing; with 2 s, a sandbox call
  // in a loaded worker ran out and a step showed the service-problem card instead.
  const di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: SANDBOX_DEADLINE_MS, maxRetries: 0 });
  const r = { sandbox, di, runs: [] as string[], schedules: [] as SetupDialogRig['schedules'], shown: [] as Shown[], failUpdates: 0, logs: [] as SetupDialogRig['logs'] };
  const logger = createLogger('warn', { write: (line: string) => { r.logs.push(JSON.parse(line) as Record<string, unknown>); } });
  const dialog = new SetupDialog({
    dataIntegration: async () => di,
    startRun: async (context, projectName) => { r.runs.push(projectName); return startedRun(context, projectName); },
    requestSchedule: async (context, projectName, x) => { r.schedules.push([projectName, { every: x.every, unit: x.unit }]); return askedSchedule(context, projectName); },
    watches: { fromTurn: async () => undefined },
  });
  return Object.assign(r, { client: new DialogTestClient('msteams', dialog, undefined, [turnLoggerMiddleware(logger), showRecorder(r)]) });
}

const cardOf = (s: Shown) => s.activity.attachments?.[0]?.content as Record<string, unknown> | undefined;
/** A frozen card: the answered form of a step, without buttons. */
const isFrozen = (card: Record<string, unknown>) => !Array.isArray(card.actions);

/** Every form card the person was shown, sent or put in place of another, oldest first (frozen ones left out). */
export function forms(r: Pick<SetupDialogRig, 'shown'>): unknown[] {
  return r.shown.map(cardOf).filter((c): c is Record<string, unknown> => Boolean(c && !isFrozen(c)));
}

/** The cards of the conversation as Teams shows it now: each message's card in its latest version, in the order sent. */
export function conversationCards(r: SetupDialogRig): Array<{ id: string; card: Record<string, unknown>; frozen: boolean }> {
  const latest = new Map<string, Record<string, unknown>>();
  for (const s of r.shown) {
    const card = cardOf(s);
    if (card && s.id && (s.kind === 'send' || latest.has(s.id))) latest.set(s.id, card);
  }
  return [...latest].map(([id, card]) => ({ id, card, frozen: isFrozen(card) }));
}

/** What the dialog said and showed in answer to one activity, as text a person reads (frozen cards left out). */
export async function turn(r: Pick<SetupDialogRig, 'shown' | 'client'>, activity: Partial<Activity> | string): Promise<string> {
  const before = r.shown.length;
  for (let reply = await r.client.sendActivity(activity); reply; reply = r.client.getNextReply()) { /* drained: r.shown has them */ }
  return r.shown.slice(before)
    .filter((s) => s.activity.type !== 'typing' && !(cardOf(s) && isFrozen(cardOf(s)!)))
    .map((s) => s.activity.text ?? cardText(cardOf(s)))
    .join(' || ');
}

/** Plays a table of turns; a click is on the newest form card, or on the one `stale` forms before it. */
export async function play(r: SetupDialogRig, turns: Turn[]): Promise<void> {
  for (const [i, t] of turns.entries()) {
    let activity: Partial<Activity> | string = t.say ?? '';
    if (t.click) {
      const all = forms(r);
      const card = all[all.length - 1 - (t.stale ?? 0)];
      activity = { type: 'message', value: { ...cardInputs(card), ...t.changes, ...cardAction(card, t.click) } };
    }
    const said = await turn(r, t.say === undefined && !t.click ? 'start' : activity);
    if (!t.expect.test(said)) throw new Error(`turn ${i + 1} (${t.say ?? t.click}): expected ${t.expect}, got: ${said.slice(0, 600)}`);
  }
}
