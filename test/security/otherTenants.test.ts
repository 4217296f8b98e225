import { SANDBOX_ENVIRONMENTS } from '../../dev/sandbox';
import { message } from '../helpers/activities';
import { startTeamsModeRig, TeamsModeRig } from './teamsModeRig';

/** The tenant the bot is registered in (MicrosoftAppTenantId): its own identity reads this tenant's environments. */
const HOME = '99999999-8888-7777-6666-555555555555';
const OTHER = '12345678-1234-4234-8234-123456789abc';

/** What Teams sends from a personal chat in `tenant` (or, `undefined`, an activity that names no tenant). */
function inTenant(serviceUrl: string, text: string, tenant: string | undefined) {
  const activity = message(serviceUrl, text, 'personal');
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId: tenant },
    channelData: tenant ? { tenant: { id: tenant } } : {},
  };
}

/**
 * Teams mode: the bot reads the Power Platform of its own tenant with its own identity (environments, connections,
 * dataflows: docs/security.md), and anyone in a conversation sees what it reads. A tenant that installs the app with
 * the bot's id (any Teams admin can upload a manifest naming it) must not reach that: Bot Framework signs the activity
 * for the bot whatever tenant it comes from.
 */
describe('Teams mode: activities from another tenant', () => {
  let rig: TeamsModeRig;
  let connector: TeamsModeRig['connector'];
  const lines: string[] = [];
  const post = (activity: object) => rig.post(activity);

  beforeAll(async () => {
    rig = await startTeamsModeRig(HOME, {}, (line) => { lines.push(line); });
    ({ connector } = rig);
  }, 60_000);
  afterEach(() => { connector.connector.calls.splice(0); });
  afterAll(async () => { await rig.close(); });

  const shown = () => JSON.stringify(connector.connector.messages().map((c) => c.activity));

  test('from the bot\'s own tenant, "watch dataflows" lists its environments (any case of the tenant id)', async () => {
    expect((await post(inTenant(connector.serviceUrl, 'watch dataflows', HOME.toUpperCase()))).status).toBe(200);
    expect(shown()).toContain(SANDBOX_ENVIRONMENTS.sales.displayName);
  });

  test('from another tenant: 403, nothing is read or sent, and the refusal is logged with the tenant', async () => {
    const res = await post(inTenant(connector.serviceUrl, 'watch dataflows', OTHER));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toMatch(/^Forbidden/);
    expect(connector.connector.calls).toHaveLength(0);
    expect(shown()).not.toContain(SANDBOX_ENVIRONMENTS.sales.displayName);
    const refused = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'activity refused');
    expect(refused.at(-1)).toMatchObject({ status: 403, tenantIds: [OTHER, OTHER] });
  });

  test('an activity that names no tenant is refused the same way', async () => {
    expect((await post(inTenant(connector.serviceUrl, 'watch dataflows', undefined))).status).toBe(403);
    expect(connector.connector.calls).toHaveLength(0);
  });

  test('the tenant of the conversation and of the channel data must agree', async () => {
    const mixed = { ...inTenant(connector.serviceUrl, 'watch dataflows', HOME), channelData: { tenant: { id: OTHER } } };
    expect((await post(mixed)).status).toBe(403);
    expect(connector.connector.calls).toHaveLength(0);
  });
});
