import { ActivityTypes, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, InvokeResponse, TeamsActivityHandler, TeamInfo, TurnContext } from 'botbuilder';
import { asInvoke, asSubmit, CardAction, InvokeHandler, LateAnswers } from './cardActions';
import { Command, parseCommand } from '../commands';
import { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import { sendCard } from './cardMessages';
import { PROJECT_COMMANDS, welcomeCard } from '../render/welcomeCard';
import { baseConversationId } from './conversationIds';
import { turnLogger } from './turnLogger';
import { commandFromSubmit } from './commandFromSubmit';
import { typedText } from './typedText';
import { projectNameProblem } from '../setupRules/naming';
import { say, wordsOf } from './say';
import { said } from '../words/words';
import { answerUnhandledInvoke, unknownCardAction } from './invokeFallback';
import { answerSignInFailure, SIGNIN_FAILURE } from './signInFailure';

/** Where a turn keeps its command once parsed (the person lock asks for it before the bot runs). */
const COMMAND_KEY = Symbol('command');

/** Handles one command in a turn; later features register theirs here. */
export type CommandHandler = (context: TurnContext, command: Command) => Promise<void>;

/** Routes Teams activities to handlers. It holds no business logic. */
export class DataIntegrationBot extends TeamsActivityHandler {
  private readonly commandHandlers = new Map<Command['name'], CommandHandler>();
  private readonly verbHandlers = new Map<string, (context: TurnContext) => Promise<void>>();
  private signInHandler?: (context: TurnContext) => Promise<void>;
  private textInFlow?: (context: TurnContext) => Promise<boolean>;
  private readonly invokeHandlers = new Map<string, InvokeHandler>();
  /** Typed commands whose handlers neither read nor write any person's bot state. */
  private readonly statelessCommands = new Set<Command['name']>(['help', 'usage']);

  /** `late`: how a card action not finished in time is answered, its reply following as a message (teams/cardActions.ts). */
  constructor(private readonly refs: ConversationReferenceStore, private readonly late?: LateAnswers) {
    super();
    this.commandHandlers.set('help', (ctx) => this.sendWelcome(ctx));
    this.commandHandlers.set('usage', (ctx, c) => this.sendUsage(ctx, c));
    this.commandHandlers.set('unknown', async (ctx, c) => {
      if (!(await this.textInFlow?.(ctx))) await this.sendHint(ctx, c);
    });

    this.onMessage(async (context, next) => {
      const verb = (context.activity.value as { verb?: unknown } | undefined)?.verb;
      const verbHandler = typeof verb === 'string' ? this.verbHandlers.get(verb) : undefined;
      if (verbHandler) {
        await verbHandler(context);
        return next();
      }
      const command = this.commandOf(context);
      const nameProblem = 'project' in command ? projectNameProblem(command.project) : undefined;
      if (nameProblem) {
        await say(context, nameProblem);
        return next();
      }
      const handler = this.commandHandlers.get(command.name) ?? this.commandHandlers.get('unknown')!;
      await handler(context, command);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcomeOnce(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.refs.remove(baseConversationId(context.activity.conversation.id));
      turnLogger(context)?.info('bot uninstalled: conversation reference removed');
      await next();
    });
    this.onTeamsTeamDeletedEvent(async (team: TeamInfo, context, next) => {
      if (team.id) await this.removeTeam(context, team.id);
      await next();
    });
    this.onUnrecognizedActivityType(async (context, next) => {
      turnLogger(context)?.info({ type: context.activity.type }, 'activity type not handled: ignored');
      await next();
    });
  }

  /** Adds or replaces the handler of a command; `stateless` when it neither reads nor writes any person's bot state. */
  onTextCommand(name: Command['name'], handler: CommandHandler, options: { stateless?: boolean } = {}): this {
    this.commandHandlers.set(name, handler);
    if (options.stateless) this.statelessCommands.add(name);
    else this.statelessCommands.delete(name);
    return this;
  }

  /**
   * Whether the turn is a typed command whose handler neither reads nor writes bot state (help, status…):
   * such a turn cannot act twice on a flow, so it needs no person lock. A card click always takes it.
   */
  needsNoPersonLock(context: TurnContext): boolean {
    const a = context.activity;
    return a.type === ActivityTypes.Message && a.value === undefined && this.statelessCommands.has(this.commandOf(context).name);
  }

  /** Adds the handler of card submissions (Action.Submit) whose data carries this `verb`. */
  onCardVerb(verb: string, handler: (context: TurnContext) => Promise<void>): this {
    this.verbHandlers.set(verb, handler);
    return this;
  }

  /** Adds the handler of Action.Execute (adaptiveCard/action) invokes with this verb. */
  onCardAction(verb: string, handler: InvokeHandler): this {
    this.invokeHandlers.set(verb, handler);
    return this;
  }

  /** Adds card actions by verb, each for both Action.Execute and its Action.Submit fallback. */
  onCardActions(actions: Record<string, CardAction>): this {
    for (const [verb, action] of Object.entries(actions)) this.onCardAction(verb, asInvoke(action, this.late)).onCardVerb(verb, asSubmit(action));
    return this;
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const handler = this.invokeHandlers.get(value.action?.verb);
    return handler ? handler(context, value) : unknownCardAction(context, value);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === SIGNIN_FAILURE) return answerSignInFailure(context);
    return answerUnhandledInvoke(context, () => super.onInvokeActivity(context));
  }

  /** Handles Teams' sign-in completion invokes (verifyState, tokenExchange) for the dialog waiting on them. */
  onSignInCompleted(handler: (context: TurnContext) => Promise<void>): this {
    this.signInHandler = handler;
    return this;
  }

  protected override async handleTeamsSigninVerifyState(context: TurnContext): Promise<void> {
    await this.signInHandler?.(context);
  }

  protected override async handleTeamsSigninTokenExchange(context: TurnContext): Promise<void> {
    await this.signInHandler?.(context);
  }

  /** Text that is no command goes here first (a setup waiting for its card); true when it was answered, else the bot gives its hint. */
  onTextInFlow(handler: (context: TurnContext) => Promise<boolean>): this {
    this.textInFlow = handler;
    return this;
  }

  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient?.id;
    if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.welcomeOnce(context);
    if (context.activity.membersRemoved?.some((m) => m.id === botId)) {
      const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
      if (teamId) await this.removeTeam(context, teamId);
      else await this.refs.remove(baseConversationId(context.activity.conversation.id));
    }
    await super.onConversationUpdateActivity(context);
  }

  private commandOf(context: TurnContext): Command {
    const known = context.turnState.get(COMMAND_KEY) as Command | undefined;
    if (known) return known;
    const command = context.activity.value !== undefined && !context.activity.text
      ? commandFromSubmit(context.activity.value)
      : parseCommand(typedText(context.activity));
    context.turnState.set(COMMAND_KEY, command);
    return command;
  }

  /** Teams sends both installationUpdate and conversationUpdate on install: welcome only the first time. */
  private async welcomeOnce(context: TurnContext): Promise<void> {
    const id = baseConversationId(context.activity.conversation.id);
    if (await this.refs.markWelcomed(id)) await this.sendWelcome(context);
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    // In a channel or a group chat Teams hands the bot only the messages that @mention it; in a personal chat, all.
    const mentionFirst = context.activity.conversation.conversationType !== 'personal';
    await sendCard(context, welcomeCard(mentionFirst, wordsOf(context)));
  }

  /** A command that needs a project, sent without one (Teams' command menu sends the bare word): how it is typed. */
  private async sendUsage(context: TurnContext, command: Command): Promise<void> {
    if (command.name !== 'usage') return;
    const { command: typed, description } = PROJECT_COMMANDS[command.of];
    await say(context, said('bot.usage', { command: typed, description: said(description) }));
  }

  private async sendHint(context: TurnContext, command: Command): Promise<void> {
    await say(context, command.name === 'unknown' && command.text ? said('bot.unknown', { text: command.text }) : said('bot.unknownThat'));
  }

  private async removeTeam(context: TurnContext, teamId: string): Promise<void> {
    const removed = await this.refs.removeTeam(teamId);
    turnLogger(context)?.info({ teamId, removed }, 'team gone: its conversation references removed');
  }
}
