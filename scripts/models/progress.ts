// A progress bar with an ETA on stderr. On a terminal it redraws one line; in a log file (nohup) it
// prints a line every few seconds instead.

const BAR = 24;

function fmt(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export class Progress {
  private label = '';
  private total = 1;
  private first = 0;
  private t0 = 0;
  private lastPrint = 0;
  private readonly tty = process.stderr.isTTY === true;

  /** Begins a bar for `total` steps, `done` of which are already done (a resumed build). */
  start(label: string, total: number, done: number): void {
    this.label = label;
    this.total = Math.max(1, total);
    this.first = done;
    this.t0 = Date.now();
    this.lastPrint = 0;
    if (done > 0) this.note(`${label}: resuming at step ${done}/${total}`);
  }

  /** Step `done` finished. The ETA assumes the remaining steps go as fast as this session's. */
  tick(done: number, note: string): void {
    const now = Date.now();
    if (!this.tty && now - this.lastPrint < 5000 && done < this.total) return;
    this.lastPrint = now;
    const frac = done / this.total;
    const filled = Math.round(frac * BAR);
    const rate = (now - this.t0) / Math.max(1, done - this.first);
    const eta = fmt(rate * (this.total - done));
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${done}/${this.total} ${note} ETA ${eta}`;
    if (this.tty) process.stderr.write(`\r${line}\x1b[K`);
    else process.stderr.write(`${line}\n`);
  }

  /** A line of its own (e.g. a validation result). */
  note(text: string): void {
    process.stderr.write(this.tty ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
