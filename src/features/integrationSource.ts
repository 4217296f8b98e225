import type { TurnContext } from 'botbuilder';
import type { DataIntegration, DataIntegrationClients } from '../integration';
import type { Person } from '../person';
import type { TurnPersonToken } from '../teams/personTokens';

/** Gives the Data Integration client that acts for the person of a turn. */
export type DataIntegrationSource = (context: TurnContext) => Promise<DataIntegration>;

/** Gives a client acting for a person, reached through a conversation they are in; undefined without a sign-in. */
export type IntegrationForPerson = (person: Person, conversationId: string) => Promise<DataIntegration | undefined>;

/** The two ways features get a client: for the person of a turn, and for a person nobody is chatting with. */
export function integrationSources(clients: DataIntegrationClients, ofTurn: TurnPersonToken) {
  const source: DataIntegrationSource = async (context) => clients.forPerson(ofTurn(context));
  const integrationFor: IntegrationForPerson = (owner, conversationId) => clients.forOwner({ owner, conversationId });
  return { source, integrationFor };
}
