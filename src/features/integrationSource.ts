import type { TurnContext } from 'botbuilder';
import type { ClientOwner, DataIntegration } from '../integration';

// Types only: the clients come from DataIntegrationClients (forTurn, forOwner), which the root hands to the features.

/** Gives the Data Integration client that acts for the person of a turn. */
export type DataIntegrationSource = (context: TurnContext) => Promise<DataIntegration>;

/** Gives a client acting for a person, reached through a conversation they are in; undefined without a sign-in. */
export type IntegrationForPerson = (of: ClientOwner) => Promise<DataIntegration | undefined>;
