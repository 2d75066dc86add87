// Download progress: the event type, the tracker that computes totals, speed and time left, and the
// one-line text the CLI prints (the page can show the same line).

/** One progress event (bytes are counted as they arrive from the network). */
export interface DownloadProgress {
  /** The file being downloaded. */
  file: string;
  /** Bytes of `file` received so far. */
  fileBytes: number;
  /** Size of `file` (Content-Length, or the size its safetensors header implies), or null when unknown. */
  fileTotal: number | null;
  /** Bytes of all files received so far. */
  bytes: number;
  /** Sum of the sizes known so far: the weights are planned up front, small files join as they start. */
  total: number;
  /** Average speed since the download started, bytes/s. */
  bytesPerSecond: number;
  /** Estimated seconds until `total` is reached, or null before any byte arrived. */
  secondsLeft: number | null;
  /** True on the last event of a file (fileBytes is then its full size). */
  fileDone: boolean;
}

export type ProgressListener = (p: DownloadProgress) => void;

/** Accumulates bytes across files; emits at most every `everyMs` ms, plus the last event of each file. */
export class ProgressTracker {
  private bytes = 0;
  private total = 0;
  private readonly start = Date.now();
  private lastEmit = -Infinity;

  constructor(
    /** Receives the events; may be undefined (then nothing is computed). */
    private readonly listener: ProgressListener | undefined,
    /** Minimum interval between two events of the same file, ms (0 = every chunk). */
    private readonly everyMs: number,
  ) {}

  /** Adds bytes that are planned but not yet started (the weight files). */
  plan(bytes: number): void {
    this.total += bytes;
  }

  /** Registers a file that starts now; `planned` says whether plan() already counted its size. */
  startFile(size: number | null, planned: boolean): void {
    if (!planned && size !== null) this.total += size;
  }

  /** Counts `n` new bytes of `file`. */
  add(file: string, n: number, fileBytes: number, fileTotal: number | null, fileDone: boolean): void {
    this.bytes += n;
    if (!this.listener) return;
    const now = Date.now();
    if (!fileDone && now - this.lastEmit < this.everyMs) return;
    this.lastEmit = now;
    const seconds = Math.max((now - this.start) / 1000, 1e-3);
    const speed = this.bytes / seconds;
    const total = Math.max(this.total, this.bytes);
    this.listener({
      file,
      fileBytes,
      fileTotal,
      bytes: this.bytes,
      total,
      bytesPerSecond: speed,
      secondsLeft: this.bytes > 0 ? (total - this.bytes) / speed : null,
      fileDone,
    });
  }
}

/** `1.5 MB`, `512 B`: decimal units, as the Hub shows sizes. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

/** One status line: `model.safetensors 12.0 MB / 270 MB (4%) · 3.10 MB/s · 1m23s left`. */
export function formatProgress(p: DownloadProgress): string {
  const pct = p.total > 0 ? ` (${Math.floor((100 * p.bytes) / p.total)}%)` : '';
  const left =
    p.secondsLeft === null
      ? ''
      : ` · ${p.secondsLeft >= 60 ? `${Math.floor(p.secondsLeft / 60)}m${String(Math.round(p.secondsLeft % 60)).padStart(2, '0')}s` : `${Math.ceil(p.secondsLeft)}s`} left`;
  return `${p.file} ${formatBytes(p.bytes)} / ${formatBytes(p.total)}${pct} · ${formatBytes(p.bytesPerSecond)}/s${left}`;
}
