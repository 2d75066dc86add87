// The host side of a sandboxed grader: starts a sandbox worker, sends a whole batch in one message,
// collects the results it streams back, and enforces the limits. A sample that makes the worker stop
// responding (an infinite loop, a microtask storm) or kills it (out of memory) is marked as an error,
// the worker is replaced by a fresh one, and the rest of the batch is graded there.
import type { GradeRequest, GradeResult, Grader, GraderLimits } from '../types';
import { GraderLoadError, remapMessage } from './compile';
import type { SandboxFactory, SandboxFailure, SandboxMessage, SandboxPort } from './protocol';

/** Extra time the host allows beyond the per-sample limit before it terminates the worker. */
const GRACE_MS = 100;

interface Live {
  port: SandboxPort;
  /** Resolves when the worker reported 'ready', rejects with GraderLoadError. */
  ready: Promise<void>;
  /** Receives messages and failures while a batch runs. */
  onMessage: ((m: SandboxMessage) => void) | null;
  onFailure: ((f: SandboxFailure) => void) | null;
  dead: boolean;
}

export interface SandboxGraderOptions {
  /** Display name used in messages. */
  name: string;
  limits: GraderLimits;
  /** Time allowed for loading (top-level code, and Pyodide start-up for Python), ms. */
  loadTimeoutMs: number;
  factory: SandboxFactory;
  /** Maps a (line, column) of the code that runs back to a column of the user's source (TypeScript). */
  mapColumn?: (line: number, column: number) => number;
}

export class SandboxGrader implements Grader {
  readonly name: string;
  private live: Live | null = null;
  private batchId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Ends the batch in flight (used by dispose, so no caller waits forever). */
  private abort: (() => void) | null = null;

  constructor(private readonly opts: SandboxGraderOptions) {
    this.name = opts.name;
  }

  /** Starts the worker and waits for the grader to load. Throws GraderLoadError. */
  async load(): Promise<void> {
    await this.ensure().ready;
  }

  /** A grader whose worker has loaded the user's code; one that fails to load is disposed before the error. */
  static async loaded(opts: SandboxGraderOptions): Promise<SandboxGrader> {
    const grader = new SandboxGrader(opts);
    try {
      await grader.load();
    } catch (e) {
      grader.dispose();
      throw e;
    }
    return grader;
  }

  gradeBatch(requests: GradeRequest[]): Promise<GradeResult[]> {
    const run = this.queue.then(() => this.runBatch(requests));
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.disposed = true;
    this.abort?.();
    this.kill();
  }

  private kill(): void {
    if (!this.live) return;
    this.live.dead = true;
    this.live.port.terminate();
    this.live = null;
  }

  private ensure(): Live {
    if (this.disposed) throw new Error(`grader '${this.name}' was disposed; load it again to grade`);
    if (this.live && !this.live.dead) return this.live;
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => undefined);
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      rejectReady(
        new GraderLoadError(
          `grader '${this.name}' did not finish loading within ${this.opts.loadTimeoutMs} ms (does its top-level code loop forever?)`,
        ),
      );
      if (live === this.live) this.kill();
    }, this.opts.loadTimeoutMs);
    const live: Live = {
      port: { post: () => undefined, terminate: () => undefined },
      ready,
      onMessage: null,
      onFailure: null,
      dead: false,
    };
    live.port = this.opts.factory({
      message: (m) => {
        if (!settled && (m.kind === 'ready' || m.kind === 'load-error')) {
          settled = true;
          clearTimeout(timer);
          if (m.kind === 'ready') resolveReady();
          else {
            rejectReady(this.loadError(m.message, m.line, m.column));
            live.dead = true;
            live.port.terminate();
          }
          return;
        }
        live.onMessage?.(m);
      },
      failure: (f) => {
        live.dead = true;
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          rejectReady(this.loadError(f.message, f.line ?? null, f.column ?? null));
          return;
        }
        live.onFailure?.(f);
      },
    });
    this.live = live;
    return live;
  }

  private loadError(message: string, line: number | null, column: number | null): GraderLoadError {
    const map = this.opts.mapColumn;
    if (!map || line === null || column === null) return new GraderLoadError(message, line, column);
    return new GraderLoadError(remapMessage(message, map), line, map(line, column));
  }

  private async runBatch(requests: GradeRequest[]): Promise<GradeResult[]> {
    const results: GradeResult[] = new Array<GradeResult>(requests.length);
    const stepDeadline = Date.now() + this.opts.limits.stepTimeoutMs;
    let next = 0;
    while (next < requests.length) {
      if (this.disposed) {
        for (; next < requests.length; next++)
          results[next] = errorResult(`grader '${this.name}' was disposed before sample ${next} was graded`, 'error', 0);
        break;
      }
      if (Date.now() >= stepDeadline) {
        for (; next < requests.length; next++) results[next] = this.stepTimeout(next);
        break;
      }
      const live = this.ensure();
      try {
        await live.ready;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        for (; next < requests.length; next++)
          results[next] = errorResult(`grader '${this.name}' could not be restarted: ${msg}`, 'error', 0);
        break;
      }
      next = await this.runFrom(live, requests, next, results, stepDeadline);
    }
    return results;
  }

  private stepTimeout(i: number): GradeResult {
    return errorResult(
      `grader '${this.name}' did not reach sample ${i}: the batch ran past the per-step limit of ${this.opts.limits.stepTimeoutMs} ms`,
      'timeout',
      0,
    );
  }

  /** Grades requests[start..] in `live`; returns the index to continue from (requests.length when done). */
  private runFrom(live: Live, requests: GradeRequest[], start: number, results: GradeResult[], stepDeadline: number): Promise<number> {
    const id = ++this.batchId;
    const limit = this.opts.limits.sampleTimeoutMs;
    return new Promise<number>((resolve) => {
      let next = start;
      let lastProgress = Date.now();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = (n: number): void => {
        if (timer !== null) clearTimeout(timer);
        live.onMessage = null;
        live.onFailure = null;
        this.abort = null;
        resolve(n);
      };
      this.abort = () => {
        for (let i = next; i < requests.length; i++)
          results[i] = errorResult(`grader '${this.name}' was disposed before sample ${i} was graded`, 'error', 0);
        done(requests.length);
      };
      const check = (): void => {
        timer = null;
        const now = Date.now();
        if (now >= stepDeadline) {
          this.kill();
          for (let i = next; i < requests.length; i++) results[i] = this.stepTimeout(i);
          done(requests.length);
          return;
        }
        const due = lastProgress + limit + GRACE_MS;
        if (now >= due) {
          this.kill();
          results[next] = errorResult(
            `grader '${this.name}' timed out on sample ${next}: no result within the per-sample limit of ${limit} ms; the grader worker was restarted`,
            'timeout',
            now - lastProgress,
          );
          done(next + 1);
          return;
        }
        timer = setTimeout(check, Math.min(due, stepDeadline) - now);
      };
      live.onMessage = (m) => {
        if (m.kind !== 'result' || m.id !== id || m.index !== next) return;
        const error = m.error !== null && this.opts.mapColumn ? remapMessage(m.error, this.opts.mapColumn) : m.error;
        results[next] = { reward: m.reward, sub_rewards: {}, details: m.details ?? undefined, error, error_kind: m.error_kind, ms: m.ms };
        next++;
        lastProgress = Date.now();
        if (next >= requests.length) done(next);
      };
      live.onFailure = (f) => {
        this.kill();
        const why = f.kind === 'oom' ? 'the grader ran out of memory' : f.message;
        results[next] = errorResult(
          `grader '${this.name}' failed on sample ${next}: ${why}; the grader worker was restarted`,
          'error',
          Date.now() - lastProgress,
        );
        done(next + 1);
      };
      timer = setTimeout(check, Math.min(limit + GRACE_MS, Math.max(0, stepDeadline - Date.now())));
      live.port.post(JSON.stringify({ kind: 'grade', id, start, sampleTimeoutMs: limit, requests: requests.slice(start) }));
    });
  }
}

export function errorResult(message: string, kind: 'timeout' | 'error', ms: number): GradeResult {
  return { reward: null, sub_rewards: {}, error: message, error_kind: kind, ms };
}
