// Connects the page to the train worker: starts it, turns replies and events into store actions, and
// restarts it when the backend is switched. The only UI module that knows about TrainClient.
// A run is started with what the page shows: the hyperparameter overrides, the selected task (or the
// uploaded dataset) and the grader in the editor. A grader that cannot load, or fails on a training
// item, refuses the run: its message goes to the try-it result, so the editor underlines the line.
import { WorkerClosedError, WorkerError, type TrainClient } from '../worker/trainClient';
import type { GradeRequest, GradeResult, GraderSource } from '../graders/types';
import type {
  AdapterInfo,
  BackendRequest,
  JudgeLogEntry,
  JudgeSettings,
  ModelSource,
  Replies,
  RunStatus,
  SampleForTryBody,
  SampleForTryResult,
  SampleRecord,
  StartBody,
  UpdateTrace,
} from '../worker/protocol';
import type { RLConfig } from '../schema/settings';
import type { MetricPoint, Store, UiState } from './store';

/** The start request for the page's current state, with the editor's grader (see editorGrader). */
export function startBody(s: UiState, grader: GraderSource): StartBody {
  return { config: s.run.config, task: taskSpec(s), grader };
}

/** What the page trains on: the uploaded dataset when one is parsed, else the selected built-in task. */
export function taskSpec(s: UiState): StartBody['task'] {
  return s.dataset !== null && 'data' in s.dataset
    ? { kind: 'dataset', name: s.dataset.file, train: s.dataset.data.train, validation: s.dataset.data.validation }
    : { kind: 'builtin', name: s.task };
}

/**
 * The editor's text as a grader: grader JSON becomes a spec (checked here), code is JavaScript, or
 * TypeScript with the directive. The JSON validators load on first use, not with the page. Throws
 * GraderJsonSyntaxError (line, column) or GraderSpecError (field path) for JSON that cannot be used.
 */
export async function editorGrader(code: string): Promise<GraderSource> {
  const { graderSourceFromText } = await import('./grader/source');
  return graderSourceFromText(code);
}

/** The judge of model graders: an OpenAI-compatible endpoint, or a local model. */
type PageJudge = { http: JudgeSettings } | { local: ModelSource };

/** How long worker events gather before one store update (a fast run sends tens of steps a second). */
const FLUSH_MS = 200;

/** Errors of the grader itself (they belong beside the editor, at their line). */
const GRADER_ERRORS = ['GraderLoadError', 'GraderPreflightError', 'GraderSpecError', 'GraderJsonSyntaxError'];

/** True for a grader's own error, from the worker or from checking grader JSON here (by name: the classes load on demand). */
function isGraderError(e: unknown): e is Error {
  return e instanceof Error && GRADER_ERRORS.includes(e.name);
}

export class EngineController {
  private client: TrainClient | null = null;
  /** Run events not yet in the store (see FLUSH_MS). */
  private pending: { points: MetricPoint[]; samples: SampleRecord[] | null; status: RunStatus | null } = {
    points: [],
    samples: null,
    status: null,
  };
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Number of the newest tryGrader call (older outcomes are dropped). */
  private trySeq = 0;
  /** The page's judge for model graders, an endpoint or a local model; sent to every fresh worker (it lives in the worker's memory only). */
  private judge: PageJudge | null = null;

  constructor(
    private readonly store: Store,
    private readonly spawn: () => TrainClient,
  ) {}

  /** (Re)starts the worker on the requested backend. Resolves when the worker has replied. */
  async initBackend(requested: BackendRequest): Promise<void> {
    const client = this.restart();
    this.store.dispatch({ type: 'backend/starting', requested });
    this.store.dispatch({ type: 'model/reset' }); // a fresh worker holds no model
    try {
      const choice = await client.request('init', { backend: requested });
      if (client === this.client) this.store.dispatch({ type: 'backend/ready', choice });
      if (this.judge !== null)
        await this.sendJudge(client, this.judge).catch((e: unknown) => {
          if (client === this.client) this.raise('The judge', e);
        });
    } catch {
      // The client raised an `error` event too (shown in the banner), unless we closed it ourselves.
      if (client === this.client) this.store.dispatch({ type: 'backend/failed' });
    }
  }

  /** Loads a model in the worker; progress events and the reply land in the store's `model`. Picked files are moved, not copied. */
  async loadModel(
    source: ModelSource,
    name = source.kind === 'builtin' ? source.name : source.kind === 'hub' ? source.source : 'local model',
  ): Promise<void> {
    this.store.dispatch({ type: 'model/loading', name, source: source.kind });
    const transfer = source.kind === 'files' ? source.files.map((f) => f.data) : [];
    try {
      const info = await this.live().request('loadModel', { source }, transfer);
      this.store.dispatch({ type: 'model/ready', info });
      this.store.dispatch({ type: 'run/status', state: 'idle', step: 0 });
    } catch (e) {
      this.store.dispatch({ type: 'model/failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Cancels the Hub download of the model being loaded (its load then fails with the reason). */
  async cancelLoad(): Promise<void> {
    await this.live().request('cancelLoad', {});
  }

  /** Starts a run with the current config, task and grader (clears the charts first). */
  start(): Promise<void> {
    return this.run('start', async () => {
      const s = this.store.getState();
      const body = startBody(s, await editorGrader(s.grader.code));
      const status = await this.live().request('start', body);
      this.flush(); // the last events of an earlier run, before the charts are cleared
      this.store.dispatch({ type: 'run/reset' });
      return status;
    });
  }
  pause(): Promise<void> {
    return this.run('pause', () => this.live().request('pause', {}));
  }

  /**
   * Continues a saved run from its newest checkpoint (the worker forgets the steps after it); then the
   * charts get the run's saved metrics from `history` and new steps stream in after them.
   */
  resumeRun(runId: string, history: () => Promise<MetricPoint[]>): Promise<void> {
    return this.run('resume the saved run', async () => {
      const s = this.store.getState();
      const task: StartBody['task'] | null =
        s.dataset !== null && 'data' in s.dataset
          ? { kind: 'dataset', name: s.dataset.file, train: s.dataset.data.train, validation: s.dataset.data.validation }
          : null;
      this.flush();
      this.store.dispatch({ type: 'run/reset' });
      const status = await this.live().request('resumeRun', { runId, ...(task === null ? {} : { dataset: task }) });
      this.store.dispatch({ type: 'run/batch', points: await history(), samples: null, status: null });
      return status;
    });
  }
  resume(): Promise<void> {
    return this.run('resume', () => this.live().request('resume', {}));
  }
  stop(): Promise<void> {
    return this.run('stop', () => this.live().request('stop', {}));
  }

  /** One step; from no run (idle / stopped / error) it starts one that pauses after that step. */
  step(): Promise<void> {
    const s = this.store.getState();
    if (s.run.state === 'paused') return this.run('step', () => this.live().request('step', {}));
    return this.run('step', async () => {
      const start = startBody(s, await editorGrader(s.grader.code)); // bad grader JSON: the charts stay
      this.flush();
      this.store.dispatch({ type: 'run/reset' });
      return this.live().request('step', { start });
    });
  }

  /** Records a hyperparameter change; during a run it is sent to the worker (applied before the next step, or refused with the reason in the banner). */
  async setHyperparameter<K extends keyof RLConfig>(name: K, value: RLConfig[K]): Promise<void> {
    this.store.dispatch({ type: 'run/config', config: { [name]: value } });
    const state = this.store.getState().run.state;
    if (state !== 'running' && state !== 'paused') return;
    try {
      await this.live().request('setHyperparameter', { name, value });
    } catch (e) {
      if (!(e instanceof WorkerError) && !(e instanceof WorkerClosedError)) this.raise('setHyperparameter', e);
    }
  }

  /** The samples of one step (they are kept in the worker for the last 200 steps). */
  samplesOf(step: number | null): Promise<SampleRecord[]> {
    return this.live().request('getSamples', { step });
  }

  /** What one step's update did to its traced groups (kept in the worker like the samples). */
  updateOf(step: number | null): Promise<UpdateTrace[]> {
    return this.live().request('getUpdate', { step });
  }

  /**
   * Runs the editor's grader on samples (hand-written and/or sampled); the outcome lands in
   * grader.tryResult and is returned. Only the newest call's outcome counts: an older one still in
   * flight when another starts resolves null and leaves the store alone (edits re-run it as you type).
   */
  async tryGrader(requests: GradeRequest[]): Promise<GradeResult[] | null> {
    const seq = ++this.trySeq;
    const code = this.store.getState().grader.code;
    this.store.dispatch({ type: 'grader/trying' });
    try {
      const results = await this.live().request('tryGrader', { grader: await editorGrader(code), requests });
      if (seq !== this.trySeq) return null;
      this.store.dispatch({ type: 'grader/tried', result: { results } });
      return results;
    } catch (e) {
      if (seq === this.trySeq) this.store.dispatch({ type: 'grader/tried', result: { error: e instanceof Error ? e.message : String(e) } });
      return null;
    }
  }

  /** Fresh completions of the page's task's (or dataset's) validation items from the loaded model (refused while a run is running). */
  sampleForTry(body: Omit<SampleForTryBody, 'task'>): Promise<SampleForTryResult> {
    return this.live().request('sampleForTry', { ...body, task: taskSpec(this.store.getState()) });
  }

  /**
   * Asks the worker for the memory plan of the run Start would begin (into the store's `plan`). Only the
   * newest answer counts; without a loaded model the plan is cleared.
   */
  async refreshPlan(): Promise<void> {
    const seq = ++this.planSeq;
    const s = this.store.getState();
    if (s.model.status !== 'ready' || this.client === null) {
      this.store.dispatch({ type: 'plan/set', plan: null });
      return;
    }
    try {
      const info = await this.client.request('plan', { config: s.run.config, task: taskSpec(s) });
      if (seq === this.planSeq) this.store.dispatch({ type: 'plan/set', plan: { info } });
    } catch (e) {
      if (seq === this.planSeq) this.store.dispatch({ type: 'plan/set', plan: { error: e instanceof Error ? e.message : String(e) } });
    }
  }
  private planSeq = 0;

  /** Checks PEFT adapter files (or a zip) against the loaded model; the next run continues from them. Throws the worker's error (nothing changes then). */
  async loadAdapter(files: { name: string; data: ArrayBuffer }[], source: string): Promise<AdapterInfo> {
    const info = await this.live().request(
      'loadAdapter',
      { files, source },
      files.map((f) => f.data),
    );
    this.store.dispatch({ type: 'adapter/set', adapter: info });
    return info;
  }

  async clearAdapter(): Promise<void> {
    await this.live().request('clearAdapter', {});
    this.store.dispatch({ type: 'adapter/set', adapter: null });
  }

  /** A saved LoRA run's newest checkpoint as PEFT adapter files, or merged into the loaded base model. */
  exportRun(runId: string, format: 'peft' | 'merged'): Promise<Record<string, Uint8Array>> {
    return this.live().request('exportRun', { runId, format });
  }

  /** Checks the editor's grader as OpenAI's graders/validate does; nothing is graded. Broken grader JSON throws here. */
  async validateGrader(): Promise<Replies['validateGrader']> {
    return this.live().request('validateGrader', { grader: await editorGrader(this.store.getState().grader.code) });
  }

  /** Gives the worker (this one and each fresh one) the judge of model graders; null removes it. A URL that is not http(s) throws. */
  async setJudge(judge: JudgeSettings | null): Promise<void> {
    await this.useJudge(judge === null ? null : { http: judge });
  }

  /** Makes a local model (loaded in the worker as a frozen copy of its own) the judge; resolves to its name. */
  async setLocalJudge(source: ModelSource): Promise<string | null> {
    return this.useJudge({ local: source });
  }

  private async useJudge(judge: PageJudge | null): Promise<string | null> {
    const name = this.client === null ? null : await this.sendJudge(this.client, judge);
    this.judge = judge;
    return name;
  }

  private async sendJudge(client: TrainClient, judge: PageJudge | null): Promise<string | null> {
    if (judge !== null && 'local' in judge) return client.request('setLocalJudge', { source: judge.local });
    await client.request('setJudge', { judge: judge === null ? null : judge.http });
    return null;
  }

  /** The judge's request log after its first `since` entries. */
  judgeLog(since: number): Promise<JudgeLogEntry[]> {
    return this.live().request('judgeLog', { since });
  }

  /** Stops the worker for good (page unmount). */
  dispose(): void {
    this.flush();
    this.client?.close();
    this.client = null;
  }

  private restart(): TrainClient {
    this.flush();
    this.client?.close();
    const client = this.spawn();
    this.client = client;
    const { dispatch } = this.store;
    client.on('error', (e) => dispatch({ type: 'error/raise', name: e.error.name, message: e.error.message }));
    client.on('status', (e) =>
      this.gather(client, (p) => {
        p.status = e.status;
      }),
    );
    client.on('metrics', (e) =>
      this.gather(client, (p) => {
        p.points.push({ ...e.metrics, step: e.step });
      }),
    );
    client.on('samples', (e) =>
      this.gather(client, (p) => {
        p.samples = e.samples;
      }),
    );
    client.on('progress', (e) =>
      dispatch({ type: 'model/progress', loadedBytes: e.loadedBytes, totalBytes: e.totalBytes, label: e.label }),
    );
    return client;
  }

  /** Adds a run event to the next store update (events of a closed worker are dropped). */
  private gather(client: TrainClient, add: (p: EngineController['pending']) => void): void {
    if (client !== this.client) return;
    add(this.pending);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Puts gathered events in the store now (before a reply's status, so a stale one never wins). */
  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const p = this.pending;
    if (p.points.length === 0 && p.samples === null && p.status === null) return;
    this.pending = { points: [], samples: null, status: null };
    this.store.dispatch({ type: 'run/batch', points: p.points, samples: p.samples, status: p.status });
  }

  private live(): TrainClient {
    if (this.client === null) throw new Error('The train worker is not running; reload the page.');
    return this.client;
  }

  private raise(what: string, e: unknown): void {
    this.store.dispatch({ type: 'error/raise', name: 'Error', message: `${what}: ${e instanceof Error ? e.message : String(e)}` });
  }

  private async run(what: string, send: () => Promise<RunStatus>): Promise<void> {
    try {
      const status = await send();
      this.flush();
      this.store.dispatch({
        type: 'run/status',
        state: status.state,
        step: status.step,
        message: status.message,
        memoryPeakBytes: status.memoryPeakBytes,
      });
    } catch (e) {
      // A broken grader: show it at its line in the editor (the banner has it too).
      if (isGraderError(e)) this.store.dispatch({ type: 'grader/tried', result: { error: e.message } });
      // Worker-side failures were already raised as `error` events; anything else is raised here.
      if (e instanceof WorkerError || e instanceof WorkerClosedError) return;
      if (isGraderError(e)) this.store.dispatch({ type: 'error/raise', name: e.name, message: e.message });
      else this.raise(what, e);
    }
  }
}
