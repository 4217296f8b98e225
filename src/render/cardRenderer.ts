import fs from 'node:fs';
import path from 'node:path';
import type { Template } from 'adaptivecards-templating';
import { projectRoot } from '../projectRoot';
import { parseTemplateAhead, templateEngine } from './templateEngine';
import type { Words } from '../words/words';

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
  | 'setupProject' | 'setupReview' | 'setupRunOrSchedule' | 'signInNeeded' | 'welcome' | 'setupAnswered'
  | 'dataflowAlert' | 'dataflowPick' | 'projectUnreadable';

/**
 * The typed renderer of `cards/<name>.json`: data of type `Data` and the person's words in, card out.
 * The template's fixed texts come from the catalogue as `t` (`card.<name>.<key>`, and the keys of
 * `shared` prefixes): `${t.key}` in the template. The template is read and parsed once, on first use.
 * Data values are inserted as they are, never evaluated; text in them is CardText, which only the
 * catalogue makes, so everything from outside in it is escaped for the card.
 */
export function cardTemplate<Data extends object>(name: CardTemplateName, shared: readonly string[] = []): TypedTemplate<Data> {
  let json: unknown;
  let template: Template | undefined;
  const read = () => (json ??= JSON.parse(fs.readFileSync(path.join(projectRoot(), 'cards', `${name}.json`), 'utf8')));
  const render = (data: Data, words: Words): AdaptiveCardJson => {
    template ??= new (templateEngine())(read());
    const t = Object.assign({}, ...shared.map((prefix) => words.strings(prefix)), words.strings(`card.${name}`));
    const card = template.expand({ $root: { ...data, t } }) as AdaptiveCardJson;
    // Every action left out by its $when leaves an empty bar, which some clients draw as a gap.
    if (Array.isArray(card.actions) && card.actions.length === 0) delete card.actions;
    return card;
  };
  return Object.assign(render, { prepare: () => parseTemplateAhead(read()) });
}

/** A template's renderer; `prepare` loads the engine and parses the template a little per turn, ahead of a first card rendered in the background. */
export type TypedTemplate<Data> = ((data: Data, words: Words) => AdaptiveCardJson) & { prepare(): Promise<void> };

/** Wraps a card as a message attachment. */
export function cardAttachment(card: AdaptiveCardJson): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** A message that is just `card`: what is sent, or what an earlier message is updated to. */
export function cardMessage(card: AdaptiveCardJson): { type: 'message'; attachments: CardAttachment[] } {
  return { type: 'message', attachments: [cardAttachment(card)] };
}

/** Calls `each` on every object of the card, depth first. */
export function forEachNode(card: AdaptiveCardJson, each: (node: Record<string, unknown>) => void): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      each(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    }
  };
  visit(card);
}
