import type { ChildProcess } from 'node:child_process';

// Servers we spawn must not outlive the test run or dev runner that started them, even when it
// exits without calling stop() (a failed test, an uncaught error): Node does not kill children.
const running = new Map<ChildProcess, boolean>();
let hooked = false;

function killNow(child: ChildProcess, group: boolean): void {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** `group`: the child leads its own process group (spawned detached); kill the whole group. */
export function trackChild(child: ChildProcess, group = false): void {
  running.set(child, group);
  child.once('exit', () => {
    if (!group) running.delete(child);
  });
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const [c, g] of running) killNow(c, g);
    });
  }
}

/** Forget a child whose process group is known to be gone. */
export function untrackChild(child: ChildProcess): void {
  running.delete(child);
}
