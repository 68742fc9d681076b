import { spawn } from 'node:child_process';
import { binPath } from '../replay/projections.js';

/**
 * `business …` is the reservation service's own CLI (reserveit-business: add|list|hours|menu over
 * gRPC), run as a child process with the same arguments, so there is one implementation and ops
 * imports no service code. Its exit code is passed through.
 */
export async function businessCommand(args: readonly string[]): Promise<number> {
  const cli = binPath('@reserveit/reservation', 'reserveit-business');
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
