import { CloudAdapter, ConversationReference } from 'botbuilder';
import type { DataIntegration } from '../integration/port';
import type { ConversationReferenceStore } from '../notifications/conversationReferenceStore';
import type { Person } from '../person';
import type { DataIntegrationSource } from './dataIntegrationSource';

/** Gives a client acting for a person, reached through a conversation they are in; undefined without a sign-in. */
export type IntegrationForPerson = (person: Person, conversationId: string) => Promise<DataIntegration | undefined>;

/**
 * A client acting for `person` when nobody is chatting (approvals applied later, the run watcher):
 * a proactive turn in a conversation they are in, because that is where their sign-in is looked up.
 */
export function integrationForPerson(adapter: CloudAdapter, appId: string, refs: ConversationReferenceStore, source: DataIntegrationSource): IntegrationForPerson {
  return async (person, conversationId) => {
    const record = await refs.get(conversationId);
    if (!record || !person.userId) return undefined;
    const reference = { ...record.reference, user: { id: person.userId, name: person.name, aadObjectId: person.aadObjectId } } as unknown as Partial<ConversationReference>;
    let client: DataIntegration | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => { client = await source(context); });
    return client;
  };
}
