import { describe, expect, it } from 'vitest';
import { type OpsRun, runOps } from './ops-process.js';

/** Subcommand names in a commander help text's "Commands:" section (without `help`). */
function commandsIn(help: string): string[] {
  const section = help.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
    .map((match) => match[1] ?? '')
    .filter((name) => name !== 'help');
}

function expectUsage(run: OpsRun, what: string): void {
  expect(run.code, `${what}: ${run.stderr}`).toBe(0);
  expect(run.stdout, what).toMatch(
    /^(Usage: reserveit-ops|usage: reserveit-business|usage: reserveit-console-staff)/,
  );
  expect(run.stderr, what).toBe('');
}

describe('reserveit-ops --help (the bin, as a child process)', () => {
  it('answers --help for itself and every command and subcommand with usage and exit 0, and -h alike', async () => {
    // Walks the command tree through the help texts themselves, so a new command is checked too.
    const asked: string[] = [];
    let level: string[][] = [[]];
    while (level.length > 0) {
      const runs = await Promise.all(level.map((path) => runOps([...path, '--help'], {})));
      const next: string[][] = [];
      runs.forEach((run, i) => {
        const path = level[i] ?? [];
        asked.push(path.join(' '));
        expectUsage(run, [...path, '--help'].join(' '));
        if (run.stdout.startsWith('Usage: reserveit-ops'))
          for (const name of commandsIn(run.stdout)) next.push([...path, name]);
      });
      level = next;
    }
    // Every command the README lists, so a broken walk cannot pass by finding none.
    expect(asked).toEqual(
      expect.arrayContaining(['', 'streams', 'dlq', 'dlq list', 'dlq show', 'dlq redrive', 'dlq purge']),
    );
    expect(asked).toEqual(expect.arrayContaining(['trace', 'replay', 'business', 'staff']));
    // `business` hands its arguments to reserveit-business, which did not know -h.
    const short = await Promise.all(
      [['-h'], ['dlq', 'list', '-h'], ['business', '-h'], ['staff', '-h']].map((a) => runOps(a, {})),
    );
    short.forEach((run, i) => {
      expectUsage(run, ['-h', 'dlq list -h', 'business -h', 'staff -h'][i] ?? '');
    });
  }, 120_000);
});
