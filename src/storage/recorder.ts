// Saves a run as it goes: a TrainerListener that writes each step's metrics and samples to the store in
// order (one write at a time, so a slow disk never reorders steps), and reports every failed write
// through `onError` instead of throwing into the trainer (a listener must not throw). `flush()` resolves
// when everything queued so far is written, e.g. before taking a checkpoint on pause.
import type { TrainerEvent, TrainerListener } from '../schema/events';
import type { CherryStore } from './db';

export interface RunRecorder {
  /** Pass to the trainer (or the worker client) as its listener. */
  listener: TrainerListener;
  /** Resolves when every event received so far has been written (or has failed and been reported). */
  flush(): Promise<void>;
  /** Writes that failed so far. */
  readonly failures: number;
}

/** Records metrics and samples of `runId`; each failed write goes to `onError` (show it to the user). */
export function recordRun(store: CherryStore, runId: string, onError: (e: unknown) => void): RunRecorder {
  let queue: Promise<void> = Promise.resolve();
  let failures = 0;
  const enqueue = (write: () => Promise<void>): void => {
    queue = queue.then(write).catch((e: unknown) => {
      failures++;
      onError(e);
    });
  };
  const listener = (ev: TrainerEvent): void => {
    if (ev.kind === 'metrics') enqueue(() => store.appendMetrics(runId, ev.step, ev.metrics));
    else if (ev.kind === 'samples') enqueue(() => store.appendSamples(runId, ev.step, ev.samples));
  };
  return {
    listener,
    flush: () => queue,
    get failures() {
      return failures;
    },
  };
}
