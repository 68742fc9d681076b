import { constants, createCipheriv, createDecipheriv, type KeyObject, privateDecrypt } from 'node:crypto';

/**
 * Meta's encryption of a Flow data-exchange request and its answer
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/implementingyourflowendpoint):
 * a fresh AES-128 key wrapped with our RSA public key (OAEP, SHA-256), the body AES-128-GCM with
 * the 16-byte tag appended, and the answer encrypted with the same key under the IV with every bit
 * flipped. Only node:crypto primitives are used.
 */
const TAG_BYTES = 16;
const AES_KEY_BYTES = 16;

/** The request as posted, every field base64. */
export interface FlowEnvelope {
  encrypted_flow_data: string;
  encrypted_aes_key: string;
  initial_vector: string;
}

/** What answering needs: the AES key and IV of the request. Never logged. */
export interface FlowSession {
  aesKey: Buffer;
  iv: Buffer;
}

export type Decrypted = { ok: true; plaintext: string; session: FlowSession } | { ok: false };

/**
 * The request's plaintext, or `ok: false` when the AES key does not unwrap with our private key or
 * the GCM tag does not verify: nothing of the body is returned unless the tag matched (GCM's
 * `final()` throws before any plaintext is released here).
 */
export function decryptFlowRequest(envelope: FlowEnvelope, privateKey: KeyObject): Decrypted {
  try {
    const aesKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(envelope.encrypted_aes_key, 'base64'),
    );
    const iv = Buffer.from(envelope.initial_vector, 'base64');
    const data = Buffer.from(envelope.encrypted_flow_data, 'base64');
    if (aesKey.length !== AES_KEY_BYTES || iv.length === 0 || data.length < TAG_BYTES) return { ok: false };
    const decipher = createDecipheriv('aes-128-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plaintext = Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return { ok: true, plaintext: plaintext.toString('utf8'), session: { aesKey, iv } };
  } catch {
    return { ok: false };
  }
}

/** Every bit of the request's IV flipped: the answer's IV. */
export const flippedIv = (iv: Buffer): Buffer => Buffer.from(iv.map((byte) => ~byte & 0xff));

/** The answer's body: base64 of AES-128-GCM(JSON) with the tag appended, under the flipped IV. */
export function encryptFlowResponse(response: unknown, session: FlowSession): string {
  const cipher = createCipheriv('aes-128-gcm', session.aesKey, flippedIv(session.iv), {
    authTagLength: TAG_BYTES,
  });
  return Buffer.concat([
    cipher.update(JSON.stringify(response), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]).toString('base64');
}
