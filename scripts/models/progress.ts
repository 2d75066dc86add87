// A progress bar with an ETA on stderr. On a terminal it redraws one line; in a log file (nohup) it
// prints a line every few seconds instead. Training code sees only ProgressSink, so a browser build
// (browserBuild.ts) forwards the page's calls to this Node Progress.

const BAR = 24;

function fmt(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** What the training loop reports progress to (Progress on stderr; the page of a browser build forwards to one). */
export interface ProgressSink {
  /** Begins a bar for `total` steps, `done` of which are already done (a resumed build). */
  start(label: string, total: number, done: number): void;
  /** Step `done` finished; `note` is shown beside the bar (loss, lr). */
  tick(done: number, note: string): void;
  /** A line of its own (e.g. a validation result). */
  note(text: string): void;
  /** The bar is finished. */
  done(): void;
}

export class Progress implements ProgressSink {
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

/** One finished bar: how many steps this session ran and how long they took. */
export interface PhaseTiming {
  label: string;
  /** Steps ticked in this session (a resumed bar counts only its new steps). */
  steps: number;
  /** Wall time from start() to done(), ms (SFT bars include their validation checks). */
  ms: number;
}

/** Passes everything on to `inner` and records each bar's steps and wall time (for steps/s lines). */
export class PhaseTimer implements ProgressSink {
  readonly timings: PhaseTiming[] = [];
  private cur: { label: string; first: number; last: number; t0: number } | null = null;
  constructor(private readonly inner: ProgressSink) {}
  start(label: string, total: number, done: number): void {
    this.cur = { label, first: done, last: done, t0: Date.now() };
    this.inner.start(label, total, done);
  }
  tick(done: number, note: string): void {
    if (this.cur) this.cur.last = done;
    this.inner.tick(done, note);
  }
  note(text: string): void {
    this.inner.note(text);
  }
  done(): void {
    if (this.cur) this.timings.push({ label: this.cur.label, steps: this.cur.last - this.cur.first, ms: Date.now() - this.cur.t0 });
    this.cur = null;
    this.inner.done();
  }
  /** "label: N steps in S s (R steps/s)" for each bar since the last call (one left unfinished by --session-steps too). */
  report(): string[] {
    if (this.cur && this.cur.last > this.cur.first)
      this.timings.push({ label: `${this.cur.label} (stopped)`, steps: this.cur.last - this.cur.first, ms: Date.now() - this.cur.t0 });
    this.cur = null;
    return this.timings
      .splice(0)
      .map(
        (t) =>
          `${t.label}: ${t.steps} steps in ${(t.ms / 1000).toFixed(1)} s (${(t.steps / Math.max(1e-3, t.ms / 1000)).toFixed(2)} steps/s)`,
      );
  }
}
