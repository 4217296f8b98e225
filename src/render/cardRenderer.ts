import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../projectRoot';
import { parseTemplateStringsOnce } from './parsedTemplates';
import { shownAsTyped } from '../text/sanitize';

parseTemplateStringsOnce();

/** The content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card as JSON (the expanded template). */
export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** A message attachment carrying one Adaptive Card; the shape botbuilder's Attachment expects. */
export interface CardAttachment { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCardJson }

/** The templates in cards/, one file each. */
export type CardTemplateName =
  | 'approvalDecided' | 'approvalHistory' | 'approvalRequest' | 'projectList' | 'runAlert' | 'runDigest'
  | 'runResult' | 'scheduleStalled' | 'serviceProblem' | 'setupConnectionSet' | 'setupPrerequisites'
  | 'setupProject' | 'setupReview' | 'setupRunOrSchedule' | 'signInNeeded' | 'welcome' | 'setupAnswered' | 'projectUnreadable';

/**
 * The typed renderer of `cards/<name>.json`: data of type `Data` in, card out. The template is
 * read and parsed once, on first use. Data values are inserted as they are, never evaluated.
 */
export function cardTemplate<Data extends object>(name: CardTemplateName): (data: Data) => AdaptiveCardJson {
  let template: ACData.Template | undefined;
  return (data) => {
    template ??= new ACData.Template(JSON.parse(fs.readFileSync(path.join(projectRoot(), 'cards', `${name}.json`), 'utf8')));
    const card = template.expand({ $root: data }) as AdaptiveCardJson;
    // Every action left out by its $when leaves an empty bar, which some clients draw as a gap.
    if (Array.isArray(card.actions) && card.actions.length === 0) delete card.actions;
    return card;
  };
}

/** Wraps a card as a message attachment. */
export function cardAttachment(card: AdaptiveCardJson): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** User or service text shown literally in a TextBlock, without a backslash a person did not type (see shownAsTyped). */
export function literal(text: string): string {
  return shownAsTyped(text);
}

/** The same for a FactSet value: Teams reads the same Markdown in facts as in a TextBlock. */
export const factText: (text: string) => string = literal;
