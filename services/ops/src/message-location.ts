import { status } from '@grpc/grpc-js';
import { grpcClientTls, type OpsConfig } from '@reserveit/config';
import { callerOptions, channelCredentials, errorCodeOf, unaryCall } from '@reserveit/rpc';
import { ConversationServiceClient } from '@reserveit/rpc/conversation/v1/conversation';
import { OpsError } from './exit-codes.js';

export type MessageLocation =
  | { kind: 'found'; streamSeq: number }
  /** The service has not handled it, or knows no sequence (a record a replay rebuilt). */
  | { kind: 'unknown' }
  /** The service did not answer; `reason` says so and what to do. */
  | { kind: 'no-answer'; reason: string };

/**
 * Asks the conversation service where a message is (conversation.v1 LocateMessage): its handling
 * recorded the message's WHATSAPP sequence, which spares `trace` a scan of the stream. Ops reads
 * the service's answer, never its tables.
 */
export async function locateMessage(config: OpsConfig, wamid: string): Promise<MessageLocation> {
  const address = config.CONVERSATION_GRPC_ADDRESS;
  const client = new ConversationServiceClient(
    address,
    channelCredentials(grpcClientTls(config)),
    callerOptions('ops', config.RPC_SIGNING_KEY),
  );
  try {
    const found = await unaryCall(client, client.locateMessage, { wamid }, 5_000);
    return found.streamSequence > 0
      ? { kind: 'found', streamSeq: found.streamSequence }
      : { kind: 'unknown' };
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'NOT_FOUND') return { kind: 'unknown' };
    if (code === 'INVALID_ARGUMENT') throw new OpsError(`not a wamid: ${(error as Error).message}`);
    const grpcStatus = (error as { code?: unknown }).code;
    if (grpcStatus === status.UNAVAILABLE || grpcStatus === status.DEADLINE_EXCEEDED) {
      return {
        kind: 'no-answer',
        reason: `conversation.v1 at ${address} did not answer (${(error as Error).message}); is the stack up? CONVERSATION_GRPC_ADDRESS says where the conversation service listens`,
      };
    }
    // An older conversation service (a rollout in progress) or a failing one: the stream still
    // has the message, so trace goes on as it did before LocateMessage existed.
    return {
      kind: 'no-answer',
      reason: `conversation.v1 at ${address} could not locate it (${(error as Error).message})`,
    };
  } finally {
    client.close();
  }
}
