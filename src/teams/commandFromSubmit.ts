import { z } from 'zod';
import { Command, parseCommand } from '../commands';
import { VERBS } from '../verbs';

/** Card buttons that only stand for a typed command, e.g. the welcome card's "Set up account sync". */
export const commandSubmitSchema = z.object({ verb: z.literal(VERBS.command), command: z.string().min(1).max(200) });

/** Turns a card submission into a command; anything the bot cannot read becomes "unknown". */
export function commandFromSubmit(value: unknown): Command {
  const parsed = commandSubmitSchema.safeParse(value);
  return parsed.success ? parseCommand(parsed.data.command) : { name: 'unknown', text: '' };
}
