import type { ApprovalRequest } from '../../src/scheduleApprovals/approvalRequest';
import { openBotDatabase } from '../../src/storage/database';
import { SqliteApprovalStore } from '../../src/storage/sqlite/sqliteApprovalStore';
import { tempDataDir } from '../helpers/harness';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin' };
const BOB = { aadObjectId: 'bob-aad', name: 'Bob Approver' };
const request = (id: string, change: Partial<ApprovalRequest>): ApprovalRequest => ({
  id, projectName: id, recurrence: { kind: 'recurring', every: 5, unit: 'minutes' }, requestedBy: ADA, conversationId: '19:general',
  status: 'approved', requestedAt: '2025-03-01T09:00:00.000Z', expiresAt: '2025-03-04T09:00:00.000Z', approverUserIds: [],
  decidedBy: BOB, decidedAt: '2025-03-01T10:00:00.000Z', ...change,
});

describe('SQLite approvals', () => {
  test('a database from before follow-ups: its approvals left unsaved are found by the sweep, its older outcomes are not told again', async () => {
    // The file as the release before follow-ups wrote it: no follow_up column, schema at 8.
    const dataDir = tempDataDir();
    const old = openBotDatabase(dataDir);
    old.exec('DROP INDEX schedule_approvals_follow_up; ALTER TABLE schedule_approvals DROP COLUMN follow_up');
    old.pragma('user_version = 8');
    const rows: ApprovalRequest[] = [
      request('never-saved', {}), request('stuck-applying', { scheduleState: 'applying' }), request('set', { scheduleState: 'set' }),
      request('refused', { scheduleState: 'failed' }), request('expired', { status: 'expired', decidedBy: undefined }), request('pending', { status: 'pending' }),
    ];
    for (const r of rows) {
      old.prepare('INSERT INTO schedule_approvals (id, project_name, status, expires_at, schedule_state, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(r.id, r.projectName, r.status, r.expiresAt, r.scheduleState ?? null, JSON.stringify(r));
    }
    old.close();

    const store = new SqliteApprovalStore(openBotDatabase(dataDir));
    expect((await store.dueForFollowUp('save')).map((r) => r.id).sort()).toEqual(['never-saved', 'stuck-applying']);
    expect(await store.dueForFollowUp('announce')).toEqual([]);
    // The claim of the older version's instance carries no moment: it is taken over at once.
    expect(await store.claimScheduling('stuck-applying', '2025-03-05T00:00:00.000Z', '2025-03-04T23:55:00.000Z')).toBe(true);
  });
});
