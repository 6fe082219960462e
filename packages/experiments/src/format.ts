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

/** A time as it goes in a default folder name: 20261121-101500 (UTC). */
export function fileStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
