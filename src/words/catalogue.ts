import { APPROVALS } from './en/approvals';
import { CARDS } from './en/cards';
import { DATAFLOWS } from './en/dataflows';
import { ERRORS } from './en/errors';
import { PAGES } from './en/pages';
import { REPLIES } from './en/replies';
import { SETUP } from './en/setup';
import { SHARED } from './en/shared';
import { APPROVALS as DE_APPROVALS } from './de/approvals';
import { CARDS as DE_CARDS } from './de/cards';
import { DATAFLOWS as DE_DATAFLOWS } from './de/dataflows';
import { ERRORS as DE_ERRORS } from './de/errors';
import { PAGES as DE_PAGES } from './de/pages';
import { REPLIES as DE_REPLIES } from './de/replies';
import { SETUP as DE_SETUP } from './de/setup';

/**
 * The one catalogue of what the bot says, one file per area and language (ICU MessageFormat:
 * `{name}` parameters, `{n, plural, …}`, `{x, select, …}`). English is the source; every other
 * language must have every id (the compiler checks it: each area's translation is a Record of its keys).
 */
const EN = { ...ERRORS, ...REPLIES, ...SETUP, ...APPROVALS, ...CARDS, ...DATAFLOWS, ...PAGES, ...SHARED };

/** The id of a message of the catalogue. */
export type MessageId = keyof typeof EN;

/** The languages the catalogue speaks. */
export type Lang = 'en' | 'de';

/** Every language's messages by id. */
export const CATALOGUES: Record<Lang, Readonly<Record<MessageId, string>>> = {
  en: EN,
  de: { ...DE_ERRORS, ...DE_REPLIES, ...DE_SETUP, ...DE_APPROVALS, ...DE_CARDS, ...DE_DATAFLOWS, ...DE_PAGES, ...SHARED },
};
