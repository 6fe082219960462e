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

/** m:ss, or h:mm:ss from an hour on (a 50-epoch ResNet run is hours, not "276:40"). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'; // an ETA with nothing measured yet
  const s = Math.max(0, Math.round(seconds));
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Seconds left in a run after `done` of `total` epochs, from the wall-clock seconds the `doneHere` epochs this
 * process ran took (a resumed run does not count the epochs it restored). Undefined before the first epoch here.
 */
export function runEta(elapsedSeconds: number, doneHere: number, done: number, total: number): number | undefined {
  return doneHere > 0 ? (elapsedSeconds / doneHere) * Math.max(0, total - done) : undefined;
}
