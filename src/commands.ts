import { nameAsMeant, normalizeName } from './words/sanitize';

/** The commands that act on one project, and so say how they are typed when sent without one (as Teams' command menu sends them). */
export type ProjectCommand = 'run' | 'schedule' | 'history' | 'notify' | 'saveTemplate';

/** What a person asked for in a text message, after the bot's @mention is removed. */
export type Command =
  | { name: 'help' }
  | { name: 'setup' }
  | { name: 'cancel' }
  | { name: 'status'; filter?: string }
  | { name: 'signIn' }
  | { name: 'signOut' }
  | { name: 'saveTemplate'; project: string; template?: string }
  | { name: 'run'; project: string }
  | { name: 'schedule'; project: string }
  | { name: 'history'; project: string }
  | { name: 'notify'; project: string; level: 'all' | 'failures' | 'mute' }
  | { name: 'watchDataflows'; filter?: string; environment?: string }
  | { name: 'usage'; of: ProjectCommand }
  | { name: 'unknown'; text: string };

/** The longest part of a project name "status NAME" keeps (the name rule allows 100 characters). */
export const PROJECT_FILTER_MAX = 100;

/** The longest part of a dataflow name "watch dataflows NAME" keeps (a dataflow's name has at most 100 characters), and of an environment's name "watch dataflows in NAME" keeps. */
export const DATAFLOW_FILTER_MAX = 100;

/** Part of a name as typed to narrow a list, `max` characters at most: the text inside quotes when typed in them ("status "Account Sync""). */
const namePart = (typed: string, max: number): string => nameAsMeant(typed).slice(0, max);

const rules: Array<[RegExp, (m: RegExpMatchArray) => Command]> = [
  [/^(help|\?|commands|what can you do)$/i, () => ({ name: 'help' })],
  [/^(set ?up( account)?( sync)?|new sync|sync accounts|start setup)$/i, () => ({ name: 'setup' })],
  [/^(cancel|stop|quit|abort)$/i, () => ({ name: 'cancel' })],
  [/^(?:status|list projects|projects|show projects)(?: (.+))?$/i, (m) => (m[1] ? { name: 'status', filter: namePart(m[1], PROJECT_FILTER_MAX) } : { name: 'status' })],
  [/^(sign ?in|log ?in)$/i, () => ({ name: 'signIn' })],
  [/^(sign ?out|log ?out)$/i, () => ({ name: 'signOut' })],
  [/^save (.+?) as (?:a )?template(?: (?:named|called) (.+))?$/i, (m) => ({ name: 'saveTemplate', project: m[1], template: m[2] })],
  // "watch dataflows in contoso": part of an environment's name, to reach one the environment card leaves out.
  [/^watch (?:my )?dataflows? in (.+)$/i, (m) => ({ name: 'watchDataflows', environment: namePart(m[1], DATAFLOW_FILTER_MAX) })],
  [/^watch (?:my )?dataflows?(?: (.+))?$/i, (m) => (m[1] ? { name: 'watchDataflows', filter: namePart(m[1], DATAFLOW_FILTER_MAX) } : { name: 'watchDataflows' })],
  [/^run (.+)$/i, (m) => ({ name: 'run', project: m[1] })],
  [/^schedule (.+)$/i, (m) => ({ name: 'schedule', project: m[1] })],
  [/^history (.+)$/i, (m) => ({ name: 'history', project: m[1] })],
  [/^notify (all|failures(?: only)?|mute) (?:for )?(.+)$/i, (m) => ({ name: 'notify', project: m[2], level: notifyLevel(m[1]) })],
  [/^mute (.+)$/i, (m) => ({ name: 'notify', project: m[1], level: 'mute' })],
  [/^(run|schedule|history)$/i, (m) => ({ name: 'usage', of: m[1].toLowerCase() as 'run' | 'schedule' | 'history' })],
  [/^(?:notify|mute)(?: .*)?$/i, () => ({ name: 'usage', of: 'notify' })],
  [/^save(?: as (?:a )?template)?$/i, () => ({ name: 'usage', of: 'saveTemplate' })],
];

/** The level as typed in any case ("Notify ALL …"): the watch keeps only the lower-case words. */
function notifyLevel(typed: string): 'all' | 'failures' | 'mute' {
  const level = typed.toLowerCase();
  return level.startsWith('fail') ? 'failures' : (level as 'all' | 'mute');
}

/** Sentence punctuation people end a command with ("Status.", "help?"). */
const END_PUNCTUATION = /\s*[.!?\u3002\uff01\uff1f]+$/u;

/**
 * Maps free text to a command; matching ignores case, extra spaces and, for text that is no command as typed,
 * the punctuation that ends it ("Status."). Project names keep their case (and a final "." that is part of one).
 */
export function parseCommand(text: string): Command {
  const clean = normalizeName(text);
  return match(clean) ?? match(clean.replace(END_PUNCTUATION, '')) ?? { name: 'unknown', text: clean };
}

function match(text: string): Command | undefined {
  for (const [pattern, build] of rules) {
    const m = text.match(pattern);
    if (m) return build(m);
  }
  return undefined;
}
