import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../projectRoot';
import { parseTemplateStringsOnce } from './parsedTemplates';

parseTemplateStringsOnce();

/** The content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card as JSON (the expanded template). */
export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** A message attachment carrying one Adaptive Card; the shape botbuilder's Attachment expects. */
export interface CardAttachment { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCardJson }

const templates = new Map<string, unknown>();

function template(name: string): unknown {
  let json = templates.get(name);
  if (!json) {
    const file = path.join(projectRoot(), 'cards', `${name}.json`);
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
    templates.set(name, json);
  }
  return json;
}

/** Expands `cards/<name>.json` with data. Data values are inserted as they are, never evaluated. */
export function renderCard(name: string, data: object): AdaptiveCardJson {
  const card = new ACData.Template(template(name)).expand({ $root: data }) as AdaptiveCardJson;
  return card;
}

/** Wraps a card as a message attachment. */
export function cardAttachment(card: AdaptiveCardJson): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

/** Escapes Adaptive Card markdown so that user-entered text is shown literally in a TextBlock. */
export function literal(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
