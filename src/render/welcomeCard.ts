import { RECURRENCE_UNITS } from '../integration/port';
import { AdaptiveCardJson, cardTemplate } from './cardRenderer';

/**
 * The commands the bot understands, as the welcome card and `help` list them. Placeholders are in
 * capitals, never in angle brackets: some Teams clients take `<project>` for a tag and drop it.
 */
export const COMMANDS: ReadonlyArray<{ command: string; description: string }> = [
  { command: 'set up account sync', description: 'Guided setup: connection set, project, first run or schedule' },
  { command: 'status', description: 'Your projects with their last run and schedule' },
  { command: 'run PROJECT', description: 'Run a project once now' },
  { command: `schedule PROJECT every N ${RECURRENCE_UNITS.join(' | ')}`, description: 'Ask an approver to put a project on a schedule, e.g. "schedule Accounts sync every 5 minutes"' },
  { command: 'history PROJECT', description: 'Approvals and decisions of a project' },
  { command: 'notify all | failures | mute PROJECT', description: 'Which run alerts this conversation gets' },
  { command: 'watch dataflows', description: 'Alerts here after each refresh of the Power Query dataflows you pick' },
  { command: 'save PROJECT as template', description: 'Save a project as a template' },
  { command: 'cancel', description: 'Stop the setup in progress' },
  { command: 'sign in / sign out', description: 'Your sign-in to Data Integration (Teams)' },
  { command: 'help', description: 'This card' },
];

const template = cardTemplate<{ commands: typeof COMMANDS; mentionHint: boolean }>('welcome');

/** The card depends on `inChannel` only: expanded once per variant and frozen, so that every turn sends that one object. */
const expanded = new Map<boolean, AdaptiveCardJson>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The welcome / help card; `inChannel` adds the reminder to @mention the bot. Frozen: copy it to change it. */
export function welcomeCard(inChannel: boolean): AdaptiveCardJson {
  let card = expanded.get(inChannel);
  if (card === undefined) expanded.set(inChannel, (card = deepFreeze(template({ commands: COMMANDS, mentionHint: inChannel }))));
  return card;
}
