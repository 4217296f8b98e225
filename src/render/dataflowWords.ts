/**
 * Every sentence the bot says about dataflows, by message id, as English templates with `{name}` parameters.
 * Parameters that carry outside text (names, statuses, messages) are escaped by the caller (`literal`).
 */
export const DATAFLOW_WORDS = {
  'refresh.succeeded': '✅ {dataflow} refreshed',
  'refresh.failed': '❌ The refresh of {dataflow} failed',
  'refresh.cancelled': '⏹️ The refresh of {dataflow} was cancelled',
  'refresh.unrecognised': 'ℹ️ The refresh of {dataflow} ended: {status}',
  'refresh.noStatus': 'ℹ️ The refresh of {dataflow} ended without a status',
  'fact.environment': 'Environment',
  'fact.outcome': 'Outcome',
  'fact.started': 'Started',
  'fact.duration': 'Duration',
  'outcome.succeeded': 'Succeeded',
  'outcome.failed': 'Failed',
  'outcome.cancelled': 'Cancelled',
  'outcome.unrecognised': '{status} (as Dataverse wrote it)',
  'outcome.noStatus': 'No status recorded',
  'tables.heading': 'Tables loaded',
  'tables.none': 'No per-table rows were recorded for this refresh.',
  'tables.notRead': 'The per-table counts could not be read this time.',
  'table.line': '**{table}**: {inserted} inserted, {upserted} upserted, {errors} errors',
  'table.unknownCount': '?',
  'table.error': '{table}: {message}',
  'table.moreErrors': '…and errors in {count} more tables.',
  'refresh.errorInfo': 'Dataverse says: {info}',
  'stalled.headline': '⏸️ {dataflow} has not refreshed since {last}',
  'stalled.detail': 'It usually refreshes every {interval}. I say this once; I tell you when it refreshes again.',
  'resumed.headline': '▶️ {dataflow} is refreshing again',
  'resumed.detail': 'A refresh ended {ended}, after none since {stalled}.',
  'signIn.headline': 'Sign-in needed to keep watching {dataflow}',
  'signIn.detail': "I read the refresh history of {dataflow} with {owner}'s sign-in, and it no longer works (expired or revoked). {owner}, select Sign in (or type \"status\") to sign in again; the alerts resume by themselves. I say this once.",
  'action.everyRefresh': 'Every refresh',
  'action.failuresOnly': 'Failures only',
  'action.stop': 'Stop watching',
  'action.open': 'Open dataflows in Power Apps',
  'action.signIn': 'Sign in',
  'summary.refresh': '{dataflow}: {outcome}',
  'summary.stalled': '{dataflow} has stalled',
  'summary.resumed': '{dataflow} refreshes again',
  'summary.signIn': 'Sign-in needed to keep watching {dataflow}',
} as const;

/** A message id of DATAFLOW_WORDS. */
export type DataflowWordId = keyof typeof DATAFLOW_WORDS;

/** The sentence `id` with its `{name}` parameters filled in (values already escaped where they carry outside text). */
export function dataflowWords(id: DataflowWordId, params: Record<string, string | number> = {}): string {
  return DATAFLOW_WORDS[id].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
