import { readFileSync } from 'node:fs';
import { bookingFlowResponseSchema } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * What Meta requires of a Flow JSON with an endpoint, for the components the booking Flow uses
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/reference/flowjson
 * and .../reference/components): required props per component, data_api_version 3.0 and a routing
 * model between known screens.
 */
const dynamic = z.string().regex(/^\$\{(data|form)\.[a-z_]+\}$/);
const action = z.discriminatedUnion('name', [
  z.object({ name: z.literal('data_exchange'), payload: z.record(z.string(), dynamic) }),
  z.object({ name: z.literal('complete'), payload: z.record(z.string(), dynamic) }),
]);
const inputName = z.string().regex(/^[a-z_]+$/);
const component = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('DatePicker'),
    name: inputName,
    label: z.string().min(1).max(40),
    required: z.boolean().optional(),
    'min-date': dynamic,
    'max-date': dynamic,
    'unavailable-dates': dynamic,
  }),
  z.strictObject({
    type: z.literal('Dropdown'),
    name: inputName,
    label: z.string().min(1).max(20),
    required: z.boolean().optional(),
    'data-source': dynamic,
  }),
  z.strictObject({
    type: z.literal('TextInput'),
    name: inputName,
    label: z.string().min(1).max(20),
    'input-type': z.enum(['text', 'number', 'email', 'password', 'passcode', 'phone']),
    required: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('Footer'), label: z.string().min(1).max(35), 'on-click-action': action }),
]);
const screenId = z
  .string()
  .regex(/^[A-Z_]+$/)
  .refine((id) => id !== 'SUCCESS', 'SUCCESS is reserved');
const flowJson = z.strictObject({
  version: z.string().regex(/^\d+\.\d+$/),
  data_api_version: z.literal('3.0'),
  routing_model: z.record(screenId, z.array(screenId)),
  screens: z
    .array(
      z.strictObject({
        id: screenId,
        title: z.string().min(1),
        terminal: z.boolean().optional(),
        data: z.record(z.string(), z.looseObject({ type: z.string(), __example__: z.unknown() })),
        layout: z.strictObject({
          type: z.literal('SingleColumnLayout'),
          children: z.array(component).min(1),
        }),
      }),
    )
    .min(1),
});

const raw: unknown = JSON.parse(readFileSync(new URL('../flows/booking.json', import.meta.url), 'utf8'));

describe('the booking Flow JSON (services/ingress/flows/booking.json)', () => {
  const flow = flowJson.parse(raw);
  const ids = flow.screens.map((screen) => screen.id);

  it("has Meta's shape for a Flow with a data-exchange endpoint", () => {
    expect(ids).toEqual(['BOOKING', 'TIME']);
    expect(Object.keys(flow.routing_model).sort()).toEqual([...ids].sort());
    for (const targets of Object.values(flow.routing_model))
      for (const t of targets) expect(ids).toContain(t);
  });

  it('ends each screen with one Footer, and only the terminal screen completes', () => {
    for (const screen of flow.screens) {
      const footers = screen.layout.children.filter((child) => child.type === 'Footer');
      expect(footers, screen.id).toHaveLength(1);
      expect(footers[0]?.['on-click-action'].name, screen.id).toBe(
        screen.terminal ? 'complete' : 'data_exchange',
      );
    }
  });

  it('refers only to data its screen declares and to inputs on that screen', () => {
    for (const screen of flow.screens) {
      const inputs = new Set(
        screen.layout.children.flatMap((child) => ('name' in child ? [child.name] : [])),
      );
      const refs = JSON.stringify(screen.layout).matchAll(/\$\{(data|form)\.([a-z_]+)\}/g);
      for (const [, kind, key] of refs) {
        if (kind === 'data') expect(Object.keys(screen.data), `${screen.id} data.${key}`).toContain(key);
        else expect([...inputs], `${screen.id} form.${key}`).toContain(key);
      }
    }
  });

  it('completes with what the conversation reads as a booking (nfm_reply response_json)', () => {
    const terminal = flow.screens.find((screen) => screen.terminal);
    const footer = terminal?.layout.children.find((child) => child.type === 'Footer');
    const payload = footer?.type === 'Footer' ? footer['on-click-action'].payload : {};
    expect(Object.keys(payload).sort()).toEqual(
      Object.keys(bookingFlowResponseSchema.shape)
        .filter((key) => key !== 'flow_token')
        .sort(),
    );
  });

  it('is refused by the schema when a required prop is missing', () => {
    const broken = structuredClone(raw) as { screens: { layout: { children: Record<string, unknown>[] } }[] };
    delete broken.screens[0]?.layout.children[1]?.['data-source'];
    expect(flowJson.safeParse(broken).success).toBe(false);
  });
});
