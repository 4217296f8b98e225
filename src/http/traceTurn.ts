import { propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { parseCommand } from '../commands';
import { ATTRS, SPANS } from '../telemetry/names';
import { recordTurn } from '../telemetry/recorders';
import { inSpan } from '../telemetry/tracing';
import { VERBS } from '../verbs';

/** The parts of an incoming activity a turn's span may name: kinds and names, never what was typed. */
interface TurnActivity { type: string; name?: unknown; text?: unknown; value?: unknown; conversation: { id: string; conversationType?: unknown } }

const KNOWN_VERBS = new Set<string>(Object.values(VERBS));
/**
 * The values a caller may choose that reach an attribute: each is kept only when it is one we know, else `other`, so
 * that nobody outside sets how many distinct series the metrics have.
 */
const KNOWN_INVOKES = new Set(['adaptiveCard/action', 'signin/verifyState', 'signin/tokenExchange', 'signin/failure', 'task/fetch', 'task/submit', 'fileConsent/invoke', 'config/fetch', 'config/submit']);
const KNOWN_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'event', 'typing', 'endOfConversation']);
const KNOWN_CONVERSATIONS = new Set(['personal', 'groupChat', 'channel']);
const known = (set: ReadonlySet<string>, value: unknown): string => (typeof value === 'string' && set.has(value) ? value : 'other');

/** What kind of turn this is and its name: the command (not its text), the card verb, the invoke or event name. */
export function turnNameOf(activity: TurnActivity): { kind: string; name: string } {
  const value = activity.value as { verb?: unknown; action?: { verb?: unknown } } | undefined;
  const verb = value?.action?.verb ?? value?.verb;
  const knownVerb = verb === undefined ? undefined : known(KNOWN_VERBS, verb);
  if (activity.type === 'invoke') return { kind: 'invoke', name: knownVerb ?? (activity.name === undefined ? 'invoke' : known(KNOWN_INVOKES, activity.name)) };
  if (activity.type === 'message' && value !== undefined && !activity.text) return { kind: 'card', name: knownVerb ?? 'other' };
  if (activity.type === 'message') return { kind: 'command', name: parseCommand(String(activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '')).name };
  if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') return { kind: 'install', name: activity.type };
  return { kind: 'other', name: known(KNOWN_TYPES, activity.type) };
}

/**
 * Runs one incoming turn in its span, continuing the caller's trace (traceparent) when there is one,
 * and counts it by kind and outcome (the HTTP status it answered with, or "error").
 */
export async function traceTurn<T extends { status?: number } | undefined>(headers: IncomingHttpHeaders, activity: TurnActivity, turn: () => Promise<T>): Promise<T> {
  const { kind, name } = turnNameOf(activity);
  const conversationType = known(KNOWN_CONVERSATIONS, activity.conversation.conversationType);
  // The caller's trace id is continued, its tracestate is not: exporters would copy that free text onto every span.
  const { tracestate: _dropped, ...traceHeaders } = headers;
  const parent = propagation.extract(ROOT_CONTEXT, traceHeaders);
  const started = performance.now();
  let outcome = 'error';
  try {
    return await inSpan(SPANS.turn, {
      [ATTRS.activityType]: known(KNOWN_TYPES, activity.type), [ATTRS.turnKind]: kind, [ATTRS.turnName]: name, [ATTRS.conversationType]: conversationType,
    }, async (span) => {
      const response = await turn();
      outcome = String(response?.status ?? 200);
      span.setAttribute(ATTRS.outcome, outcome);
      return response;
    }, { kind: SpanKind.SERVER, parent });
  } finally {
    recordTurn(kind, outcome, performance.now() - started);
  }
}
