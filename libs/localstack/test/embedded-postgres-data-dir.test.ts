import { expect, it } from 'vitest';
import { relocatedName } from '../src/embedded-postgres-data-dir.js';

it('names the stand-in for a private data directory after its path, and differently for two clones', () => {
  const name = relocatedName('/root/reserveit/.local/postgres');
  expect(name).toMatch(/^root-reserveit-\.local-postgres-[0-9a-f]{12}$/);
  expect(relocatedName('/root/reserveit-2/.local/postgres')).not.toBe(name);
  // Characters a shell or `ls` would trip over are replaced; the hash still tells paths apart.
  expect(relocatedName('/root/my clone/.local/postgres')).toMatch(/^root-my_clone-\.local-postgres-/);
  expect(relocatedName('/root/my clone/.local/postgres')).not.toBe(
    relocatedName('/root/my_clone/.local/postgres'),
  );
});
