/** Keeps the last lines a child process wrote, for error messages that show why it failed. */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly max = 30) {}

  push(chunk: Buffer | string): string[] {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
    return parts;
  }

  text(): string {
    return [...this.lines, this.partial].filter((l) => l.length > 0).join('\n');
  }
}
