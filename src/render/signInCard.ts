import type { CardText, Said, Words } from '../words/words';
import { type AdaptiveCardJson, cardTemplate } from './cardRenderer';

const template = cardTemplate<{ headline: CardText; detail: CardText; note: CardText }>('signInNeeded');

/** What the sign-in card says: whose watch waits, why, and what keeps going meanwhile. */
export interface SignInWords { headline: Said; detail: Said; note: Said }

/** Said once when a watch owner's sign-in no longer works (a project's or a dataflow's): its one button signs in again. */
export const signInCard = ({ headline, detail, note }: SignInWords, w: Words): AdaptiveCardJson =>
  template({ headline: w.card(headline), detail: w.card(detail), note: w.card(note) }, w);

/** Parses the template ahead of a first card rendered in the background. */
export const prepareSignInCard = (): Promise<void> => template.prepare();
