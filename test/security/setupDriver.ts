import { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { SetupDialog } from '../../src/features/setup/setupDialog';
import { DataIntegration } from '../../src/integration';
import { SetupStep } from '../../src/setupRules/draft';
import { cardAction, cardInputs } from '../helpers/cardWalk';
import { askedSchedule, forms, Shown, showRecorder, startedRun, turn } from '../helpers/setupDialogRig';

type Card = Record<string, unknown>;

/** A setup dialog driven in-process, as a person clicking its cards. */
export class SetupDriver {
  client!: DialogTestClient;
  card!: Card;
  /** The current card as JSON text, for quick checks of its step and buttons. */
  cardJson = '';
  /** What the last turn showed: sent messages, and cards updated in place (a form shown again with its errors). */
  readonly shown: Shown[] = [];
  readonly failUpdates = 0;
  /** Every form card this flow sent, with its message id and the step it showed (what a reply to it names). */
  readonly sentCards: Array<{ id: string; step: string }> = [];
  private walks = 0;
  constructor(private readonly di: DataIntegration) {}

  async send(activity: Partial<Activity> | string): Promise<string> {
    this.shown.length = 0; // only this turn's: a fuzz run has thousands
    const said = await turn(this, activity);
    for (const s of this.shown) {
      const step = /"step":"(\w+)"/.exec(JSON.stringify(s.activity.attachments?.[0]?.content ?? {}))?.[1];
      if (s.kind === 'send' && s.id && step) this.sentCards.push({ id: s.id, step });
    }
    const card = forms(this).at(-1) as Card | undefined;
    if (card) {
      this.card = card;
      this.cardJson = JSON.stringify(card);
    }
    return said;
  }

  step(): SetupStep | undefined {
    const found = this.cardJson.match(/"step":"(\w+)"/);
    return found?.[1] as SetupStep | undefined;
  }

  click(title: string, changes: Record<string, unknown> = {}): Promise<string> {
    return this.send({ type: 'message', value: { ...cardInputs(this.card), ...changes, ...cardAction(this.card, title) } });
  }

  /** A new flow, walked to `step` with valid inputs. */
  async walkTo(step: SetupStep): Promise<void> {
    this.client = new DialogTestClient('msteams', new SetupDialog({
      dataIntegration: async () => this.di,
      startRun: startedRun,
      requestSchedule: askedSchedule,
      watches: { fromTurn: async () => undefined },
    }), undefined, [showRecorder(this)]);
    this.sentCards.length = 0;
    await this.send('set up account sync');
    const path: Array<[SetupStep, string, Record<string, unknown>]> = [
      ['prerequisites', 'Continue', {}], ['connectionSet', 'Next', {}], // its default: the first walk's new set, reused by the next ones
      ['project', 'Next', { name: `Fuzzed accounts ${++this.walks}`, consent: 'true' }], ['review', 'Create', {}],
    ];
    for (const [at, title, changes] of path) {
      if (this.step() === step) return;
      expect(this.step()).toBe(at);
      await this.click(title, changes);
    }
    expect(this.step()).toBe(step);
  }
}
