/**
 * Every span, metric and attribute name the bot emits, in one place: docs/operations.md queries these
 * names and test/telemetry/operationsDoc.test.ts keeps the page in step with this file.
 */

/** The prefix of every metric. */
export const PREFIX = 'dibot';

/** Span names. */
export const SPANS = {
  turn: 'dibot.turn',
  serviceCall: 'dibot.service.call',
  serviceAttempt: 'dibot.service.attempt',
  stateOperation: 'dibot.state',
  connectorCall: 'dibot.connector',
  watcherPoll: 'dibot.watcher.poll',
  alertDelivery: 'dibot.alert',
} as const;

/** Metric names (units are the instruments' own: ms, {turn}, …). */
export const METRICS = {
  turns: `${PREFIX}.turns`,
  turnDuration: `${PREFIX}.turn.duration`,
  errors: `${PREFIX}.errors`,
  serviceCalls: `${PREFIX}.service.calls`,
  serviceDuration: `${PREFIX}.service.duration`,
  pollDuration: `${PREFIX}.watcher.poll.duration`,
  pollWatches: `${PREFIX}.watcher.watches`,
  pollCalls: `${PREFIX}.watcher.calls_per_poll`,
  alerts: `${PREFIX}.alerts`,
  alertLatency: `${PREFIX}.alert.latency`,
  connectorThrottled: `${PREFIX}.connector.throttled`,
  outboxDepth: `${PREFIX}.outbox.depth`,
  leaseHeld: `${PREFIX}.lease.held`,
  leaseChanges: `${PREFIX}.lease.changes`,
  approvals: `${PREFIX}.approvals`,
  setups: `${PREFIX}.setups`,
} as const;

/** Attribute keys on spans and metrics. None ever carries typed text, a person's name or a token. */
export const ATTRS = {
  activityType: 'dibot.activity.type',
  /** The command (`setup`, `status`…) or card verb (`setup.next`…), never the text typed. */
  turnName: 'dibot.turn.name',
  /** What kind of turn: command, card, invoke, install, other. */
  turnKind: 'dibot.turn.kind',
  conversationType: 'dibot.conversation.type',
  outcome: 'dibot.outcome',
  route: 'dibot.route',
  service: 'dibot.service',
  status: 'dibot.status',
  attempt: 'dibot.attempt',
  retryAfterMs: 'dibot.retry_after_ms',
  errorCode: 'dibot.error.code',
  backend: 'dibot.state.backend',
  store: 'dibot.state.store',
  operation: 'dibot.operation',
  etagConflict: 'dibot.state.etag_conflict',
  /** On a state operation recorded as an event on the span it ran in: how long it took. */
  durationMs: 'dibot.duration_ms',
  alertKind: 'dibot.alert.kind',
  /** On the alert's span too, so that Kusto can take percentiles per alert. */
  alertLatencyMs: 'dibot.alert.latency_ms',
  watches: 'dibot.watcher.watches',
  calls: 'dibot.watcher.calls',
  failures: 'dibot.watcher.failures',
  leaseChange: 'dibot.lease.change',
  approvalEvent: 'dibot.approval.event',
  setupEvent: 'dibot.setup.event',
  setupStep: 'dibot.setup.step',
} as const;
