import type { ProjectCommand } from '../commands';
import { RECURRENCE_UNITS } from '../integration/port';
import { ENGLISH, type CardText, type MessageId, type Words } from '../words/words';
import { AdaptiveCardJson, cardTemplate } from './cardRenderer';

/** A command as the welcome card lists it, and what it does. */
export interface CommandLine { readonly command: string; readonly description: MessageId }

/**
 * The commands that need a project, as they are typed; the bot also says it when one is sent without
 * its project. Placeholders are in capitals, never in angle brackets: some Teams clients take
 * `<project>` for a tag and drop it.
 */
export const PROJECT_COMMANDS: Readonly<Record<ProjectCommand, CommandLine>> = {
  run: { command: 'run PROJECT', description: 'welcome.run' },
  schedule: { command: `schedule PROJECT every N ${RECURRENCE_UNITS.join(' | ')}`, description: 'welcome.schedule' },
  history: { command: 'history PROJECT', description: 'welcome.history' },
  notify: { command: 'notify all | failures | mute PROJECT', description: 'welcome.notify' },
  saveTemplate: { command: 'save PROJECT as template', description: 'welcome.saveTemplate' },
};

/** The commands the bot understands, as the welcome card and `help` list them. */
export const COMMANDS: readonly CommandLine[] = [
  { command: 'set up account sync', description: 'welcome.setup' },
  { command: 'status', description: 'welcome.status' },
  PROJECT_COMMANDS.run,
  PROJECT_COMMANDS.schedule,
  PROJECT_COMMANDS.history,
  PROJECT_COMMANDS.notify,
  { command: 'watch dataflows', description: 'welcome.watchDataflows' },
  PROJECT_COMMANDS.saveTemplate,
  { command: 'cancel', description: 'welcome.cancel' },
  { command: 'sign in / sign out', description: 'welcome.signIn' },
  { command: 'help', description: 'welcome.help' },
];

const template = cardTemplate<{ commands: Array<{ command: CardText; description: CardText }>; mentionHint: boolean }>('welcome');

/** The card depends on the language and `mentionFirst` only: expanded once per variant and frozen, so that every turn sends that one object. */
const expanded = new Map<string, AdaptiveCardJson>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The welcome / help card; `mentionFirst` (a channel or group chat) adds the reminder to @mention the bot. Frozen: copy it to change it. */
export function welcomeCard(mentionFirst: boolean, w: Words = ENGLISH): AdaptiveCardJson {
  const key = `${w.lang}/${mentionFirst}`;
  let card = expanded.get(key);
  if (card === undefined) {
    const commands = COMMANDS.map((c) => ({ command: w.card('text.asGiven', { text: c.command }), description: w.card(c.description) }));
    expanded.set(key, (card = deepFreeze(template({ commands, mentionHint: mentionFirst }, w))));
  }
  return card;
}
