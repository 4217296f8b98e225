import { z } from 'zod';
import { CATALOGUES, type MessageId } from './catalogue';
import type { Param, Said } from './words';

const messageId = z.string().refine((id) => id in CATALOGUES.en) as unknown as z.ZodType<MessageId>;

/** A Said as stored (a form's problems in a flow's state): read back with its id checked against the catalogue. */
export const saidSchema: z.ZodType<Said> = z.lazy(() => z.object({ id: messageId, params: z.record(z.string(), paramSchema).optional() }));

const paramSchema: z.ZodType<Param> = z.lazy(() => z.union([
  z.string(), z.number(), saidSchema,
  z.object({ moment: z.string() }), z.object({ long: z.string() }), z.object({ link: z.string() }), z.object({ mention: z.string() }),
  z.object({ names: z.array(z.string()), join: z.enum(['or', 'and']), mention: z.boolean().optional() }),
]));

/** A person's language and time zone as stored (an activity's `locale` and `localTimezone`), for what the bot tells them later. */
export const speechSchema = z.object({ locale: z.string().max(100).optional(), localTimezone: z.string().max(100).optional() });
/** A person's language and time zone as stored; `wordsFor` turns it back into their words (English when unknown). */
export type Speech = z.infer<typeof speechSchema>;

/** A stored problem: a Said, or the plain text an older version stored (kept, shown as outside text). */
export const storedSaidSchema: z.ZodType<Said> = z.union([
  saidSchema,
  z.string().transform((text): Said => ({ id: 'text.asGiven', params: { text: { long: text } } })),
]) as unknown as z.ZodType<Said>;
