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

/** What kind of turn this is and its name: the command (not its text), the card verb, the invoke or event name. */
export function turnNameOf(activity: TurnActivity): { kind: string; name: string } {
  const value = activity.value as { verb?: unknown; action?: { verb?: unknown } } | undefined;
  const verb = value?.action?.verb ?? value?.verb;
  const known = typeof verb === 'string' && KNOWN_VERBS.has(verb) ? verb : verb === undefined ? undefined : 'other';
  if (activity.type === 'invoke') return { kind: 'invoke', name: known ?? (typeof activity.name === 'string' ? activity.name.slice(0, 60) : 'invoke') };
  if (activity.type === 'message' && value !== undefined && !activity.text) return { kind: 'card', name: known ?? 'other' };
  if (activity.type === 'message') return { kind: 'command', name: parseCommand(String(activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '')).name };
  if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') return { kind: 'install', name: activity.type };
  return { kind: 'other', name: activity.type.slice(0, 40) };
}

/**
 * Runs one incoming turn in its span, continuing the caller's trace (traceparent) when there is one,
 * and counts it by kind and outcome (the HTTP status it answered with, or "error").
 */
export async function traceTurn<T extends { status?: number } | undefined>(headers: IncomingHttpHeaders, activity: TurnActivity, turn: () => Promise<T>): Promise<T> {
  const { kind, name } = turnNameOf(activity);
  const conversationType = typeof activity.conversation.conversationType === 'string' ? activity.conversation.conversationType : 'unknown';
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const started = performance.now();
  let outcome = 'error';
  try {
    return await inSpan(SPANS.turn, {
      [ATTRS.activityType]: activity.type, [ATTRS.turnKind]: kind, [ATTRS.turnName]: name, [ATTRS.conversationType]: conversationType,
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
