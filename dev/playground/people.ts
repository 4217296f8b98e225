import { Config } from '../../src/config';

/** The bot as the playground's Teams client addresses it (Teams bot ids start with "28:"). */
export const PLAYGROUND_BOT = { id: '28:playground-data-integration', name: 'Data Integration' } as const;

/** The playground's tenant, team and channel: fixed, so that stored conversation references stay valid across restarts. */
export const PLAYGROUND_TENANT_ID = '7a1e0c2d-0000-4000-8000-00000000c0de';
export const PLAYGROUND_TEAM = { id: '19:playground-team@thread.tacv2', name: 'Sales' } as const;
export const PLAYGROUND_CHANNEL = { id: '19:playground-general@thread.tacv2', name: 'General' } as const;

/** The demo approver's Azure AD object id when SCHEDULE_APPROVERS is empty; the page and the README show it. */
export const DEMO_APPROVER_AAD_OBJECT_ID = 'b0b0b0b0-0000-4000-8000-00000000b0b0';

/** Who the person at the keyboard is acting as. */
export type PersonKey = 'requester' | 'approver';

/** A person of the playground tenant; `id` is the Teams user MRI that `refresh.userIds` lists. */
export interface PlaygroundPerson {
  key: PersonKey;
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  role: string;
}

/** The two people of the playground; the approver is the first of SCHEDULE_APPROVERS when it is set. */
export function playgroundPeople(config: Pick<Config, 'SCHEDULE_APPROVERS'>): Record<PersonKey, PlaygroundPerson> {
  return {
    requester: {
      key: 'requester', id: '29:playground-ada', name: 'Ada Admin', role: 'Requester',
      aadObjectId: 'ada0ada0-0000-4000-8000-00000000ada0', userPrincipalName: 'ada@contoso.example',
    },
    approver: {
      key: 'approver', id: '29:playground-bob', name: 'Bob Approver', role: 'Approver',
      aadObjectId: config.SCHEDULE_APPROVERS[0] ?? DEMO_APPROVER_AAD_OBJECT_ID, userPrincipalName: 'bob@contoso.example',
    },
  };
}

/** The id of a person's one-to-one chat with the bot (Teams keeps one per person and bot). */
export function personalChatId(key: PersonKey): string {
  return `a:playground-chat-${key}`;
}
