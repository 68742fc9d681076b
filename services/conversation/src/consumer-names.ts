/** Durable consumer of one partition of inbound messages; every replica pulls from the same ones. */
export const consumerName = (partition: number) => `conversation-p${partition}`;
/** Dead letters of this service go to `dlq.conversation`. */
export const DEAD_LETTER_CONSUMER = 'conversation';
