import { z } from 'zod';
import { Command, parseCommand } from '../commands';
import { VERBS } from '../verbs';
import { PROJECT_NAME_MAX } from '../setupRules/naming';

/** The longest command a button may carry: a verb, a project's name (at its longest) and a recurrence, with room to spare. */
const COMMAND_MAX = PROJECT_NAME_MAX + 100;

/** Card buttons that only stand for a typed command, e.g. the welcome card's "Set up account sync". */
export const commandSubmitSchema = z.object({ verb: z.literal(VERBS.command), command: z.string().min(1).max(COMMAND_MAX) });

/** Turns a card submission into a command; anything the bot cannot read becomes "unknown". */
export function commandFromSubmit(value: unknown): Command {
  const parsed = commandSubmitSchema.safeParse(value);
  return parsed.success ? parseCommand(parsed.data.command) : { name: 'unknown', text: '' };
}
