import { formatDuration } from '@dp/experiments';

/**
 * A dependency-free progress bar on stderr. On a terminal it redraws one line; elsewhere (CI, pipes) it stays
 * quiet between `done()` lines so logs stay readable.
 */
export class ProgressBar {
  private readonly tty: boolean;
  private readonly start = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  update(done: number, suffix = ''): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const width = 24;
    const frac = this.total > 0 ? Math.min(done / this.total, 1) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${this.label} ${bar} ${done}/${this.total} ${suffix} ETA ${formatDuration(eta)}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns || 120) - 1)}`);
  }

  /** Clear the bar (the caller prints its summary line next). */
  done(): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
  }
}
