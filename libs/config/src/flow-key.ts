import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The development private key of the booking Flow's endpoint (RSA 2048, PKCS#8 PEM). It is public,
 * here so the local stack and the tests decrypt what they encrypt with its public key; production
 * refuses it (refuseDevFlowKey). A real one is made with node:crypto and its public key uploaded
 * to Meta (docs/whatsapp.md#flows).
 */
export const DEV_FLOW_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCbWXfS8jDqgAGb
qrk6dxw03W4auN08JkXtG6EDrMlqPG3fUvyQAhtJENYnosvLXv5F+Q8rv9i5ooHO
SiC8LJbiKwD3aBplokmdw5IYrJpk4ubmQJ441QNjP83Zi0ccVrM7WXR2+CHvGJpe
j+EguYl2+sLyEZ6jfHLvRwr8hvRn7NcnjKh3oGs3I7VS/MndDXdmw8JsF8U+3C84
CNYIG8+UF3eHcWMzA4MNVucrU4PXL+jQ2isUyPeyYC75GXjq1YyM+ritytOzGVX9
sOS4MtKUY8Cp751SpAnkLu4Tkln/NTwYsZyztyRzy32/Je8iyHEis9qN87tpepjx
BbvRru1PAgMBAAECggEAKh5dMuewJHwVM4fblYLitmCMsBkL/nlf/xO9GXp412FP
5rsgt8iibjJu5aspNtfn97+5gcKPd3EcYXpOmsY6GFLRfcKPWZvg+rGiBCeT6qNs
N+QwIbd7JicP4Bn3azMEgCRWQ8Utqh4RCG9Y+d7j6sq9HRVy3d9pZ/9qdqH+VMiA
+0/mlFr/wAC2/Pbxze7Q+9+OJ7ktzEc1kXShSCZxYxeakD4jFL0OhuJlZGbE6L2O
/9HRKcBT7dK6aAA+RPLpKE0SyAatpRBO+7t/Vo/P1HfwH4hUnxvou9MIstx3o0YE
kyhx+wEa8oQo1XQKq0my6oGA0DMGQZuOxlRJk4ccwQKBgQDV9Hlt7K+Ef0XV2wB4
lFvkQog3fvf6O2ULLm5MPi3SXXW9Kl491TCSw0C8XJSmKQYhyQC/JQh/u1mgpaTc
1opNQ8mgnZWDcM/Cr0vJrpIkaPGXtB1XsG7WWpczoCJpIWgPJfJrpfY2Kn3p5qX5
mdG2MO9ooUjCpjvJ3aNU/6KSjwKBgQC54LOqSKTI6LdEor2rdIbbkL4ESouA2fi9
FhINaW6awH1/fyVLdjbDtqByVFZDS+H9EVxkt6YqQ1UwW1sav1ZgH/Jps7vzBj6n
YeyzclqPffflf1lY9HlsVfPI6ubrDoSsA0d4aF5VaeJUgjUyXbMtezHUWo5sgsKN
jUzG/kxZQQKBgCqlYzrU7ZtEXyAkWfCu6a4S0OH27eizxA05gQSzdCC1Pk2pT0WV
4+us/Y9OCNch4DYFwZ9X+1yydEgAHF9kaAbEl0DriCy95LuSg1G8+SZGwLkTTrH2
2fDh97dzmMhJv1sdnjd0yiG70IM51SVuUo21LVM2qrEZv1saUX8UwUvjAoGBAJC6
0oozeANrmE+b+91FpT/PKvVCae8RSalJRxMkVdevK8ibYpmoWSn4yGNdIbHSowse
end9u6dKuEknyP9BnmrIVUNSjHTFFwHTsK9kyfjSl7QdfZ9S9DyTjHeT1+uMaWda
QksR0OnmwTEWFX+7D6nJM9pqDF2XTw9Sx0ZmeWJBAoGAH/jpAPEx+puyvfkYqPe6
ES3saV0tZ52R3hAq2ZYzMAlYK1fIg385pr09HQmcHuyzEnE4h8J359ajghvhoS56
OTuCZQ/ZP7APDRmncPmGcOhWjfA2QVSxPujXoBx/FM4boqPE6Yv5FF28I8Zp+nOA
uF1F8fHvVci+Eqwn3xJs71s=
-----END PRIVATE KEY-----
`;

/** The public half of a Flow private key, as PEM (what is uploaded to Meta). */
export const flowPublicKeyPem = (privateKey: KeyObject): string =>
  createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();

const DEV_PUBLIC_KEY = flowPublicKeyPem(createPrivateKey(DEV_FLOW_PRIVATE_KEY));

/**
 * `WHATSAPP_FLOW_PRIVATE_KEY_FILE`: a PEM file holding the RSA private key (2048 bits at least, no
 * passphrase) whose public key was uploaded to Meta; the development key when unset.
 */
export const flowPrivateKeyFile = z
  .string()
  .optional()
  .transform((path, ctx): KeyObject => {
    let pem: string;
    try {
      pem = path ? readFileSync(path, 'utf8') : DEV_FLOW_PRIVATE_KEY;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`,
      });
      return z.NEVER;
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${path} holds no PEM private key without a passphrase` });
      return z.NEVER;
    }
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      ctx.addIssue({ code: 'custom', message: `${path} must hold an RSA key of 2048 bits or more` });
      return z.NEVER;
    }
    return key;
  });

/** Production refuses the development Flow key, as it refuses the other development secrets. */
export function refuseDevFlowKey(
  env: { NODE_ENV: string; WHATSAPP_FLOW_PRIVATE_KEY_FILE: KeyObject },
  ctx: z.RefinementCtx,
): void {
  if (
    env.NODE_ENV === 'production' &&
    flowPublicKeyPem(env.WHATSAPP_FLOW_PRIVATE_KEY_FILE) === DEV_PUBLIC_KEY
  )
    ctx.addIssue({
      code: 'custom',
      path: ['WHATSAPP_FLOW_PRIVATE_KEY_FILE'],
      message:
        'set the Flow private key whose public key you uploaded to Meta (the development key is refused in production)',
    });
}
