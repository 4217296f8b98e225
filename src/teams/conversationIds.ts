/**
 * A channel thread's conversation id is the channel's id plus ";messageid=<the thread's first
 * message>". Alerts and references are kept per channel; replies go into the thread.
 */
const THREAD_MARK = ';messageid=';

/** The channel (or chat) a conversation id belongs to. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(THREAD_MARK)[0];
}

/** The id of the thread's first message, for an id of a channel thread; undefined otherwise. */
export function threadRootOf(conversationId: string): string | undefined {
  return conversationId.split(THREAD_MARK)[1];
}
