import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build';
import { configSchema } from '../../src/config';
import { CONNECTION_LIMITS } from '../../src/http/server';
import { KEYS_RETRY_AFTER_SECONDS } from '../../src/http/turnFailure';
import { RUNS_PER_MINUTE_PER_TENANT } from '../../src/features/runs/runStartGate';
import { LOCK_TTL_MS } from '../../src/locks/guardPersonTurns';
import { LONG_RUN_MINUTES } from '../../src/notifications/stallCheck';
import { UNREADABLE_AFTER_LOOKS } from '../../src/notifications/lookFailures';
import { ALERT_CARDS_KEPT, DELETED_WATCH_KEPT_MS } from '../../src/notifications/dataflowWatchStore';
import { ANNOUNCE_ATTEMPTS, STALE_CLAIM_MS } from '../../src/scheduleApprovals/approvalFollowUps';
import { CARD_BYTES_MAX } from '../../src/render/cardFit';
import { SET_ASIDE_KEPT_DAYS } from '../../src/storage/readableState';
import { DELETES_IN_FLIGHT } from '../../src/storage/azure/azureTarget';
import { DELETES_PER_PASS, PRUNED_PER_PASS } from '../../src/storage/azure/tableReports';

/** A page as a reader meets it: line breaks and runs of spaces are one space. */
const page = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');
const DAY_MS = 86_400_000;
const seconds = (ms: number) => ms / 1000;
const thousands = (n: number) => n.toLocaleString('en-US');
const defaultOf = (key: keyof typeof configSchema.shape) => configSchema.shape[key].parse(undefined) as number;

/** Each figure a reader acts on, as the page words it, from the constant the code uses (issue: docs said 15 s for 8). */
const FIGURES: Array<[file: string, words: string]> = [
  ['README.md', `one going for over ${LONG_RUN_MINUTES / 60} hours is told once`],
  ['docs/security.md', `| headers | ${seconds(CONNECTION_LIMITS.headersMs)} s from`],
  ['docs/security.md', `| whole request | ${seconds(CONNECTION_LIMITS.requestMs)} s |`],
  ['docs/security.md', `| idle connection kept | ${seconds(CONNECTION_LIMITS.keepAliveMs)} s |`],
  ['docs/security.md', `| checked every | ${seconds(CONNECTION_LIMITS.checkEveryMs)} s |`],
  ['docs/security.md', `The tenant's budget (${RUNS_PER_MINUTE_PER_TENANT} runs a minute)`],
  ['docs/security.md', `\`Retry-After: ${KEYS_RETRY_AFTER_SECONDS}\``],
  ['docs/security.md', `its person lock's ${seconds(LOCK_TTL_MS)} s ran out`],
  ['docs/deploy.md', `a short lock on its person-and-conversation (${seconds(LOCK_TTL_MS)} s at most)`],
  ['docs/deploy.md', `\`LEADER_LEASE_SECONDS\` (15-60, default ${defaultOf('LEADER_LEASE_SECONDS')})`],
  ['docs/operations.md', `within ${seconds(defaultOf('STATE_TIMEOUT_MS'))} s (\`STATE_TIMEOUT_MS\`)`],
  ['docs/operations.md', `after ${UNREADABLE_AFTER_LOOKS} failed looks in a row`],
  ['docs/operations.md', `(a claim older than ${STALE_CLAIM_MS / 60_000} minutes is taken over)`],
  ['docs/operations.md', `up to ${ANNOUNCE_ATTEMPTS} times`],
  ['docs/operations.md', `**Kept ${SET_ASIDE_KEPT_DAYS} days**`],
  ['docs/operations.md', `reads one page (${thousands(PRUNED_PER_PASS)} records) and makes at most ${DELETES_PER_PASS} delete requests, ${DELETES_IN_FLIGHT} at once`],
  ['docs/dataflows.md', `The ended watch is kept ${DELETED_WATCH_KEPT_MS / DAY_MS} days`],
  ['docs/dataflows.md', `latest ${ALERT_CARDS_KEPT} alerts`],
  ['docs/dataflows.md', `under ${CARD_BYTES_MAX / 1024} KB of JSON`],
  ['docs/architecture.md', `(${fs.readdirSync(path.join(ROOT, 'cards')).filter((f) => f.endsWith('.json')).length} templates)`],
];

describe('the figures README.md and docs/ give are the code\'s', () => {
  test.each(FIGURES)('%s says "%s"', (file, words) => {
    expect(page(file).includes(words) ? words : `not found: ${words}`).toBe(words);
  });
});
