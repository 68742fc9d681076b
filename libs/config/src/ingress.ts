import { z } from 'zod';
import { commonEnv } from './common.js';
import { commaList, parseEnv, port, positiveInt } from './env.js';
import { flowPrivateKeyFile, refuseDevFlowKey } from './flow-key.js';
import { refuseDevNatsPassword } from './nats-auth.js';
import { refuseDevRpcKeys, rpcSigningKey } from './rpc.js';
import { checkTls, grpcClientTlsEnv, natsTlsEnv } from './tls.js';

const DEV_APP_SECRET = 'dev-app-secret';
const DEV_VERIFY_TOKEN = 'dev-verify-token';

export const ingressEnv = z
  .object({
    ...commonEnv,
    ...natsTlsEnv,
    ...grpcClientTlsEnv,
    /** Port of the webhook endpoint, /healthz, /readyz and /metrics. */
    INGRESS_PORT: port(8080),
    /** Interface to bind; loopback unless opened on purpose (a container sets 0.0.0.0, Meta reaches it through the ingress). */
    INGRESS_HOST: z.string().default('127.0.0.1'),
    /** App secret(s) for X-Hub-Signature-256; comma-separated while rotating (old and new both valid). */
    WHATSAPP_APP_SECRET: commaList(DEV_APP_SECRET),
    /** The string typed into Meta's App Dashboard for the hub challenge. */
    WHATSAPP_VERIFY_TOKEN: z.string().min(1).default(DEV_VERIFY_TOKEN),
    /** Largest accepted webhook body. Meta's payloads reach 3 MB (docs/whatsapp.md#payloads). */
    INGRESS_BODY_LIMIT_BYTES: positiveInt(4 * 1024 * 1024),
    /** How long a webhook may wait for JetStream acks before it answers 503 so Meta retries. */
    INGRESS_PUBLISH_TIMEOUT_MS: positiveInt(2_000),
    /**
     * Whether this process runs the deriver (`ingress.deriver`): raw bodies into their events. One
     * process at a time may run it (it keeps each guest's order); a deployment with several ingress
     * replicas sets false on them and runs one replica with true (deploy/k8s: ingress-deriver).
     */
    INGRESS_DERIVER: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** The booking Flow's endpoint key (flow-key.ts); its public key is uploaded to Meta. */
    WHATSAPP_FLOW_PRIVATE_KEY_FILE: flowPrivateKeyFile,
    /** host:port of reservation.v1.ReservationService, read by the booking Flow's endpoint. */
    RESERVATION_GRPC_ADDRESS: z.string().default('127.0.0.1:50051'),
    /**
     * Deadline of one call to reservation for the booking Flow (a Flow request makes them in
     * parallel); past it the endpoint answers 503 and WhatsApp shows an error. Meta waits 10 s.
     */
    INGRESS_FLOW_DEADLINE_MS: positiveInt(5_000),
    /** Ingress's own key (base64url Ed25519 seed), signing its calls to reservation. */
    RPC_SIGNING_KEY: rpcSigningKey('ingress'),
  })
  .superRefine((env, ctx) => {
    refuseDevNatsPassword(env, ctx);
    checkTls(env, ctx, { grpcClient: true, nats: true });
    refuseDevRpcKeys(env, ctx);
    refuseDevFlowKey(env, ctx);
    if (env.NODE_ENV !== 'production') return;
    if (env.WHATSAPP_APP_SECRET.includes(DEV_APP_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_APP_SECRET'],
        message:
          "set the app secret from Meta's App Dashboard (the development default is refused in production)",
      });
    }
    if (env.WHATSAPP_VERIFY_TOKEN === DEV_VERIFY_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WHATSAPP_VERIFY_TOKEN'],
        message: 'set your own verify token (the development default is refused in production)',
      });
    }
  });

export type IngressConfig = z.infer<typeof ingressEnv>;

export const loadIngressConfig = (env: NodeJS.ProcessEnv = process.env): IngressConfig =>
  parseEnv(ingressEnv, env);
