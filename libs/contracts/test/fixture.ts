import { readdirSync, readFileSync } from 'node:fs';

const dir = new URL('./fixtures/', import.meta.url);

/** The body exactly as Meta put it on the wire: raw bytes, never re-serialized. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`${name}.json`, dir));
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString('utf8'));
}

export function fixtureNames(): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}
