import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { StreamSpec } from '@reserveit/contracts';

export interface EnsureOptions {
  /** 1 on a single server, 3 on the production cluster (R3). */
  replicas: number;
}

/** The server config for a stream of the contracts; limits retention, file storage, no max_age. */
export function streamConfig(
  spec: StreamSpec,
  { replicas }: EnsureOptions,
): Partial<StreamConfig> & { name: string } {
  return {
    name: spec.name,
    subjects: spec.subjects,
    description: spec.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: replicas,
    duplicate_window: nanos(spec.duplicateWindowSeconds * 1000),
    deny_delete: spec.appendOnly,
    deny_purge: spec.appendOnly,
  };
}

/**
 * JSStreamNameExistErr in nats-server's server/errors.json: a stream of that name exists (with
 * another config). JetStreamApiCodes in @nats-io/jetstream has no name for it.
 */
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the stream or brings its config up to date; safe to call from every replica at start.
 * Two replicas racing to create it both succeed (the loser sees "name in use" and updates).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  options: EnsureOptions,
): Promise<void> {
  const config = streamConfig(spec, options);
  try {
    await jsm.streams.info(spec.name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    try {
      await jsm.streams.add(config);
      return;
    } catch (addError) {
      if (!(addError instanceof JetStreamApiError) || addError.code !== STREAM_NAME_IN_USE) throw addError;
    }
  }
  await jsm.streams.update(spec.name, config);
}
