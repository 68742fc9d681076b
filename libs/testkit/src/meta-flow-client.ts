import {
  constants,
  createCipheriv,
  createDecipheriv,
  type KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/** A Flow data-exchange request encrypted as WhatsApp encrypts it, with what reading the answer needs. */
export interface MetaFlowRequest {
  body: { encrypted_flow_data: string; encrypted_aes_key: string; initial_vector: string };
  aesKey: Buffer;
  iv: Buffer;
}

/**
 * What Meta's client does before calling a Flow endpoint
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/implementingyourflowendpoint):
 * a fresh AES-128 key and 16-byte IV, the JSON AES-128-GCM-encrypted with the tag appended, the
 * key RSA-OAEP(SHA-256)-wrapped with the business's public key. Written apart from the endpoint's
 * decryption so a test of one checks the other.
 */
export function encryptLikeMeta(request: unknown, publicKey: KeyObject): MetaFlowRequest {
  const aesKey = randomBytes(16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-gcm', aesKey, iv);
  const data = Buffer.concat([
    cipher.update(JSON.stringify(request), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    aesKey,
  );
  return {
    body: {
      encrypted_flow_data: data.toString('base64'),
      encrypted_aes_key: wrapped.toString('base64'),
      initial_vector: iv.toString('base64'),
    },
    aesKey,
    iv,
  };
}

/** The endpoint's answer as Meta's client reads it: AES-128-GCM under the request's key and inverted IV. */
export function decryptLikeMeta(answer: string, request: Pick<MetaFlowRequest, 'aesKey' | 'iv'>): unknown {
  const bytes = Buffer.from(answer, 'base64');
  const inverted = Buffer.alloc(request.iv.length);
  for (let i = 0; i < request.iv.length; i++) inverted[i] = 0xff ^ (request.iv[i] ?? 0);
  const decipher = createDecipheriv('aes-128-gcm', request.aesKey, inverted);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return JSON.parse(
    Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8'),
  );
}
