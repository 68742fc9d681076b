import { afterEach, expect, it } from 'vitest';
import { type TestNats, useNats } from '../src/index.js';

const opened: TestNats[] = [];
afterEach(async () => {
  for (const n of opened.splice(0)) await n.cleanup().catch(() => undefined);
});

it('gives each call its own prefix, valid in subject tokens and stream names', async () => {
  const a = await useNats();
  const b = await useNats();
  opened.push(a, b);
  expect(a.prefix).not.toBe(b.prefix);
  expect(a.prefix).toMatch(/^t[0-9a-f]{8}$/);
});

it('cleanup deletes the streams named with its prefix and leaves other streams alone', async () => {
  const mine = await useNats();
  const other = await useNats();
  opened.push(other);
  await mine.jsm.streams.add({ name: `${mine.prefix}_WHATSAPP`, subjects: [`${mine.prefix}.whatsapp.>`] });
  await mine.jsm.streams.add({ name: `${mine.prefix}_EVENTS`, subjects: [`${mine.prefix}.events.>`] });
  await other.jsm.streams.add({ name: `${other.prefix}_WHATSAPP`, subjects: [`${other.prefix}.whatsapp.>`] });
  await mine.js.publish(`${mine.prefix}.whatsapp.in`, 'x');

  await mine.cleanup();

  const names: string[] = [];
  for await (const info of other.jsm.streams.list()) names.push(info.config.name);
  expect(names).not.toContain(`${mine.prefix}_WHATSAPP`);
  expect(names).not.toContain(`${mine.prefix}_EVENTS`);
  expect(names).toContain(`${other.prefix}_WHATSAPP`);
  expect(mine.nc.isClosed()).toBe(true);
});
