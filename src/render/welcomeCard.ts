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
  { command: 'save PROJECT as template', description: 'Save a project as a template' },
  { command: 'cancel', description: 'Stop the setup in progress' },
  { command: 'sign in / sign out', description: 'Your sign-in to Data Integration (Teams)' },
  { command: 'help', description: 'This card' },
];

const template = cardTemplate<{ commands: typeof COMMANDS; mentionHint: boolean }>('welcome');

/** The card depends on `inChannel` only: expanded once per variant, each caller gets its own copy. */
const expanded = new Map<boolean, string>();

/** The welcome / help card; `inChannel` adds the reminder to @mention the bot. */
export function welcomeCard(inChannel: boolean): AdaptiveCardJson {
  let json = expanded.get(inChannel);
  if (json === undefined) expanded.set(inChannel, (json = JSON.stringify(template({ commands: COMMANDS, mentionHint: inChannel }))));
  return JSON.parse(json) as AdaptiveCardJson;
}
