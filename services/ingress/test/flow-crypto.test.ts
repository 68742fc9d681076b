import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { DEV_FLOW_PRIVATE_KEY } from '@reserveit/config';
import { decryptLikeMeta, encryptLikeMeta } from '@reserveit/testkit';
import { describe, expect, it } from 'vitest';
import { decryptFlowRequest, encryptFlowResponse, flippedIv } from '../src/flows/flow-crypto.js';

const privateKey = createPrivateKey(DEV_FLOW_PRIVATE_KEY);
const publicKey = createPublicKey(privateKey);
const request = { version: '3.0', action: 'INIT', flow_token: 'book.demo-dubai.n1' };

describe("the booking Flow endpoint's encryption, against requests encrypted as Meta encrypts them", () => {
  it('decrypts a request, and its answer decrypts with the same key under the inverted IV', () => {
    const sent = encryptLikeMeta(request, publicKey);
    const decrypted = decryptFlowRequest(sent.body, privateKey);
    expect(decrypted.ok && JSON.parse(decrypted.plaintext)).toEqual(request);
    if (!decrypted.ok) return;
    const answer = encryptFlowResponse({ data: { status: 'active' } }, decrypted.session);
    expect(decryptLikeMeta(answer, sent)).toEqual({ data: { status: 'active' } });
  });

  it('flips every bit of the IV for the answer', () => {
    expect(flippedIv(Buffer.from([0x00, 0xff, 0x0f, 0xa5]))).toEqual(Buffer.from([0xff, 0x00, 0xf0, 0x5a]));
  });

  it('decrypts nothing encrypted for another key (Meta holds an old public key)', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(decryptFlowRequest(encryptLikeMeta(request, other).body, privateKey)).toEqual({ ok: false });
  });

  it('decrypts nothing when the tag or the ciphertext was tampered with', () => {
    const sent = encryptLikeMeta(request, publicKey);
    const data = Buffer.from(sent.body.encrypted_flow_data, 'base64');
    const lastTagByte = Buffer.from(data);
    lastTagByte[lastTagByte.length - 1] = (lastTagByte.at(-1) ?? 0) ^ 1;
    const firstByte = Buffer.from(data);
    firstByte[0] = (firstByte[0] ?? 0) ^ 1;
    for (const tampered of [lastTagByte, firstByte, data.subarray(0, 15)]) {
      expect(
        decryptFlowRequest({ ...sent.body, encrypted_flow_data: tampered.toString('base64') }, privateKey),
      ).toEqual({ ok: false });
    }
  });

  it('decrypts nothing from garbage: no key, a wrong IV, base64 of nothing', () => {
    const sent = encryptLikeMeta(request, publicKey);
    expect(decryptFlowRequest({ ...sent.body, encrypted_aes_key: 'AAAA' }, privateKey)).toEqual({
      ok: false,
    });
    expect(
      decryptFlowRequest({ ...sent.body, initial_vector: Buffer.alloc(16).toString('base64') }, privateKey),
    ).toEqual({
      ok: false,
    });
    expect(
      decryptFlowRequest(
        { encrypted_aes_key: '!!', encrypted_flow_data: '!!', initial_vector: '!!' },
        privateKey,
      ),
    ).toEqual({ ok: false });
  });
});
