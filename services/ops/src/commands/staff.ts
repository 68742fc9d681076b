import { spawn } from 'node:child_process';
import { binPath } from '../replay/projections.js';

/**
 * `staff …` is the console's own CLI (reserveit-console-staff: add|list|remove), run as a child
 * process with the same arguments, as `business …` runs the reservation service's.
 */
export async function staffCommand(args: readonly string[]): Promise<number> {
  const cli = binPath('@reserveit/console', 'reserveit-console-staff');
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
  return new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
