// The engine behind the train worker's protocol: one loaded model, at most one run. Runs step in a loop
// that yields to the event loop between steps, so pause / resume / step / stop / setHyperparameter /
// getSamples are handled between two steps (never inside one). Plain TypeScript + tfjs (through
// src/rl): it runs in the Web Worker and, in tests, in Node behind a MessageChannel.
//
// States: idle (no run yet) → running ⇄ paused → stopped (or error); `step` from idle/stopped/error
// starts a run and leaves it paused after one step. A run starts from the loaded weights, or (resumeRun)
// from a saved run's last checkpoint. With `persistence`, every run is saved as it goes (persist.ts).
import { loadGrader, type LoadOptions } from '../graders';
import type { Grader } from '../graders/types';
import { DEFAULT_CONFIG, resolveConfig, type RLConfig } from '../rl/config';
import type { CheckpointData, CheckpointSink } from '../rl/checkpointSink';
import type { TrainerEvent } from '../rl/events';
import { Trainer } from '../rl/trainer';
import type { Llama } from '../model';
import { attachLora, loraOf } from '../model/lora';
import { buildPolicy, loadModelSource, modelInfo, type FetchOptions, type LoadedModel } from './modelLoader';
import {
  AdapterFilesError,
  adapterInfo,
  loraCheckpointFiles,
  loraOfConfig,
  measuredStep,
  planRun,
  readAdapter,
  type StartAdapter,
} from './loraRun';
import type {
  AdapterInfo,
  MemoryPlanInfo,
  ModelInfo,
  ModelSource,
  RunConfig,
  RunState,
  RunStatus,
  SampleRecord,
  StartBody,
  TaskSpec,
  TrainEvent,
  UpdateTrace,
} from './protocol';
import type { Persistence, SavedRun } from './persist';
import { GraderPreflightError, RunStateError, preflight, taskFrom } from './runSetup';
import { sampleForTry, type SampleForTryBody, type SampleForTryResult } from './sampleForTry';

export { GraderPreflightError, RunStateError };

export interface SessionOptions {
  /** Sends an event to the page. */
  emit(event: TrainEvent): void;
  /** How built-in models are downloaded. */
  fetch: FetchOptions;
  /** Where checkpoints go (every checkpoint_interval steps and on pause); none when absent. */
  checkpoints?: CheckpointSink;
  /** Saves every run as it goes (IndexedDB in the worker); resolves null where storage is unavailable. */
  persistence?: () => Promise<Persistence | null>;
  /** Also told every trainer event (e.g. a recorder writing the run to IndexedDB). */
  onTrainerEvent?: (event: TrainerEvent) => void;
  /** Steps whose samples are kept for getSamples (older ones are dropped). Default 200. */
  keepSampleSteps?: number;
  /** Groups per step whose update is traced (log-probs before and after, for getUpdate). Default 4; 0 turns it off. */
  traceGroups?: number;
  /** checkpoint_interval when the page does not set one. Default 10. */
  defaultCheckpointInterval?: number;
  /** Waits between two steps so queued messages run; default a macrotask (setTimeout 0). */
  yieldToEvents?: () => Promise<void>;
  /** Extra grader load options of each new run (the page's judge); invalid_reward comes from the config. */
  graderOptions?: () => LoadOptions;
}

interface Run {
  trainer: Trainer;
  grader: Grader;
  policy: Llama;
  /** How the run is saved; null without persistence. */
  saved: SavedRun | null;
  /** The most bytes tfjs held during one of its steps so far (0 before the first). */
  memoryPeakBytes: number;
}

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainSession {
  private model: LoadedModel | null = null;
  private run: Run | null = null;
  private state: RunState = 'idle';
  private loop: Promise<void> | null = null;
  private pauseWanted = false;
  /** Serialises everything that touches the trainer: a step, a config change, a checkpoint. */
  private lock: Promise<unknown> = Promise.resolve();
  private readonly samples = new Map<number, SampleRecord[]>();
  /** Traced groups of the last keepSampleSteps steps, by step. */
  private readonly updates = new Map<number, UpdateTrace[]>();
  /** Steps completed by the last run after it was freed (the step counter keeps showing them). */
  private lastSteps = 0;
  /** The measured memory peak of the last run after it was freed. */
  private lastPeak = 0;
  /** The saved id of the current (or last) run, when runs are saved. */
  private runId: string | null = null;
  /** Cancels the Hub download of the loadModel in progress. */
  private loadAbort: AbortController | null = null;
  /** A PEFT adapter loaded to continue from: the next new run trains it (cleared when another model loads). */
  private startAdapter: StartAdapter | null = null;

  constructor(private readonly o: SessionOptions) {}

  /** The run's state and completed steps. */
  status(message?: string): RunStatus {
    const peak = this.run?.memoryPeakBytes ?? this.lastPeak;
    return {
      state: this.state,
      step: this.run?.trainer.steps ?? this.lastSteps,
      ...(this.runId === null ? {} : { runId: this.runId }),
      ...(message === undefined ? {} : { message }),
      ...(peak > 0 ? { memoryPeakBytes: peak } : {}),
    };
  }

  /** Loads a model (stopping any run); replies with its size and memory estimate. A failed load keeps the previous model. */
  async loadModel(source: ModelSource): Promise<ModelInfo> {
    await this.stop();
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    this.startAdapter = null;
    const loaded = await loadModelSource(
      source,
      this.o.fetch,
      (loadedBytes, totalBytes, label) => this.o.emit({ kind: 'progress', loadedBytes, totalBytes, label }),
      abort.signal,
    ).finally(() => {
      if (this.loadAbort === abort) this.loadAbort = null;
    });
    const policy = buildPolicy(loaded); // checks every tensor's shape against config.json
    const parameters = policy.paramCount();
    policy.dispose();
    this.model = loaded;
    this.setState('idle');
    return modelInfo(loaded, parameters, DEFAULT_CONFIG.batch_prompts * DEFAULT_CONFIG.num_generations);
  }

  /** Cancels the download of the load in progress; false when none is running. */
  cancelLoad(): boolean {
    if (this.loadAbort === null) return false;
    this.loadAbort.abort();
    return true;
  }

  /** Starts a run and keeps stepping until paused, stopped or max_steps. */
  async start(body: StartBody): Promise<RunStatus> {
    await this.begin(body);
    this.setState('running');
    this.loop = this.runLoop();
    return this.status();
  }

  /** Asks the loop to stop after the current step; resolves paused once it has (checkpoint taken). */
  async pause(): Promise<RunStatus> {
    if (this.state !== 'running') return this.status();
    this.pauseWanted = true;
    await this.loop;
    return this.status();
  }

  /**
   * Continues a saved run from its newest checkpoint: same grader and config, its task (a dataset run
   * needs `dataset`, the same upload), metrics and samples after the checkpoint forgotten; then runs.
   */
  async resumeRun(runId: string, dataset?: TaskSpec): Promise<RunStatus> {
    if (this.state === 'running' || this.state === 'paused')
      throw new RunStateError(`A run is ${this.state}: stop it before resuming a saved one.`);
    const persistence = await this.persistence();
    if (persistence === null)
      throw new RunStateError('Saved runs are not available in this browser (IndexedDB could not be opened); see the error above.');
    const { run, checkpoint } = await persistence.load(runId);
    if (checkpoint === null)
      throw new RunStateError(
        `Run '${run.name}' has no checkpoint to resume from (it stopped before its first checkpoint, every checkpoint_interval steps); start a new run.`,
      );
    let task: TaskSpec;
    if (run.data.kind === 'task') task = { kind: 'builtin', name: run.data.task };
    else if (dataset?.kind === 'dataset' && dataset.name === run.data.name) task = dataset;
    else throw new RunStateError(`Run '${run.name}' trained on the dataset '${run.data.name}': upload that file again, then resume.`);
    await this.begin(
      { config: checkpoint.config, task, grader: run.graderSource },
      { checkpoint, saved: await persistence.reopen(runId, checkpoint.step) },
    );
    this.setState('running');
    this.loop = this.runLoop();
    return this.status();
  }

  async resume(): Promise<RunStatus> {
    if (this.state !== 'paused' || this.run === null)
      throw new RunStateError(`Cannot resume: the run is ${this.state}. Press Start to begin a run.`);
    this.setState('running');
    void this.saveStatus('running');
    this.loop = this.runLoop();
    return this.status();
  }

  /** Exactly one step, then paused. Starts a run first when there is none (needs `start`). */
  async step(start?: StartBody): Promise<RunStatus> {
    if (this.state === 'running') throw new RunStateError('Cannot step once while the run is running: pause it first.');
    if (this.run === null || this.state !== 'paused') {
      if (start === undefined) throw new RunStateError('There is no run to step: press Start, or Step once with a task and grader.');
      await this.begin(start);
    }
    try {
      await this.exclusive(() => this.measuredStep(this.currentRun()));
      this.setState('paused');
      await this.saveStatus('paused');
    } catch (e) {
      this.fail(e);
      throw e;
    }
    return this.status();
  }

  /** Stops the run (after the current step) and frees it; the loaded model stays. */
  async stop(): Promise<RunStatus> {
    if (this.state === 'running') {
      this.pauseWanted = true;
      await this.loop;
    }
    const wasLive = this.state === 'running' || this.state === 'paused';
    if (wasLive) await this.saveStatus('stopped');
    await this.exclusive(async () => {
      this.dispose();
    });
    if (wasLive) this.setState('stopped');
    return this.status();
  }

  /** Changes one hyperparameter between steps; throws ConfigError with the reason when refused. */
  async setHyperparameter(name: keyof RLConfig, value: number | string | boolean): Promise<RunConfig> {
    const run = this.run;
    if (run === null) throw new RunStateError(`No run to change '${name}' in: the new value is used when the next run starts.`);
    return this.exclusive(async () => ({ ...run.trainer.setConfig({ [name]: value }) }));
  }

  /** The samples of a step (the latest when null); empty when that step's samples are not kept. */
  getSamples(step: number | null): SampleRecord[] {
    const at = step ?? Math.max(-1, ...this.samples.keys());
    return this.samples.get(at) ?? [];
  }

  /** What a step's update did to its traced groups (the latest traced step when null); empty when not kept. */
  getUpdate(step: number | null): UpdateTrace[] {
    return this.updates.get(step ?? Math.max(-1, ...this.updates.keys())) ?? [];
  }

  /**
   * Fresh completions for the grader's try-it pane (sampleForTry.ts): refused while a run is running
   * (pause it first); a paused run samples with its current weights, otherwise the loaded weights.
   */
  async sampleForTry(body: SampleForTryBody): Promise<SampleForTryResult> {
    if (this.state === 'running') throw new RunStateError('Cannot sample while the run is training: pause the run first, then sample.');
    const model = this.model;
    if (model === null) throw new RunStateError('No model is loaded: wait for the Model panel to say ready, or load one.');
    const run = this.run;
    return this.exclusive(() => sampleForTry(model, body, run?.policy));
  }

  /** The memory plan of a run of `config` on `task` with the loaded model (and loaded adapter), against this backend's limits. */
  plan(config: RunConfig, task: TaskSpec): MemoryPlanInfo {
    const model = this.loadedModel();
    const t = taskFrom(task, null);
    return planRun(model, t, resolveConfig({ max_completion_length: t.maxNewTokens, ...config }), this.startAdapter);
  }

  /** Checks adapter files against the loaded model and keeps them for the next run; a bad file changes nothing. */
  loadAdapter(files: readonly { name: string; data: ArrayBuffer }[], source: string): AdapterInfo {
    const adapter = readAdapter(this.loadedModel(), files, source);
    this.startAdapter = adapter;
    return adapterInfo(adapter);
  }

  clearAdapter(): null {
    this.startAdapter = null;
    return null;
  }

  /** A saved LoRA run's newest checkpoint as PEFT adapter files, or merged into the loaded base model. */
  async exportRun(runId: string, format: 'peft' | 'merged'): Promise<Record<string, Uint8Array>> {
    const persistence = await this.persistence();
    if (persistence === null)
      throw new RunStateError('Saved runs are not available in this browser (IndexedDB could not be opened); see the error above.');
    const { run, checkpoint } = await persistence.load(runId);
    if (checkpoint === null)
      throw new AdapterFilesError(`Run '${run.name}' has no checkpoint yet (one is taken every checkpoint_interval steps and on pause).`);
    const model = this.loadedModel();
    return this.exclusive(() => loraCheckpointFiles(checkpoint, format, model, model.name));
  }

  private loadedModel(): LoadedModel {
    if (this.model === null) throw new RunStateError('No model is loaded: wait for the Model panel to say ready, or load one.');
    return this.model;
  }

  /** One step of `run`, keeping the most bytes tfjs held during any step. */
  private async measuredStep(run: Run): Promise<void> {
    run.memoryPeakBytes = Math.max(run.memoryPeakBytes, await measuredStep(() => run.trainer.step()));
  }

  /** Opens the store once (null when there is none or it cannot open: the error was reported). */
  private persistence(): Promise<Persistence | null> {
    this.persist ??= this.o.persistence?.() ?? Promise.resolve(null);
    return this.persist;
  }
  private persist: Promise<Persistence | null> | null = null;

  private async saveStatus(status: 'running' | 'paused' | 'stopped' | 'done' | 'failed'): Promise<void> {
    const saved = this.run?.saved;
    if (!saved) return;
    await saved.flush();
    await (await this.persistence())?.setStatus(saved.runId, status);
  }

  /**
   * Builds the grader, the task and the trainer; the run does not start when the grader cannot load.
   * A new run is saved (when runs are); `resume` restores a checkpoint into it and keeps its saved record.
   */
  private async begin(body: StartBody, resume?: { checkpoint: CheckpointData; saved: SavedRun }): Promise<void> {
    if (this.state === 'running' || this.state === 'paused')
      throw new RunStateError(`A run is ${this.state}: stop it before starting a new one.`);
    const model = this.model;
    if (model === null) throw new RunStateError('No model is loaded: wait for the Model panel to say ready, or load one.');
    await this.exclusive(async () => {
      this.dispose();
    });
    this.lastSteps = 0;
    this.lastPeak = 0;
    const task = taskFrom(body.task, body.grader);
    const config = resolveConfig({
      max_completion_length: task.maxNewTokens,
      checkpoint_interval: this.o.defaultCheckpointInterval ?? 10,
      ...body.config,
    });
    const grader = await loadGrader(body.grader, undefined, { ...this.o.graderOptions?.(), invalidReward: config.invalid_reward }); // GraderLoadError names the line and column
    let policy: Llama | null = null;
    let saved: SavedRun | null = null;
    try {
      await preflight(grader, task);
      policy = buildPolicy(model);
      this.samples.clear();
      this.updates.clear();
      saved = resume?.saved ?? (await (await this.persistence())?.begin(body, config)) ?? null;
      this.runId = saved?.runId ?? null;
      const run = saved;
      // LoRA: a resumed run's adapter settings are its checkpoint's; a new run continues a loaded adapter or starts one from the rows.
      const start = resume ? null : this.startAdapter;
      const lora = resume?.checkpoint.lora ?? start?.lora ?? loraOfConfig(config, model.config.architecture);
      if (start) attachLora(policy, start.lora, config.seed, start.tensors);
      const trainer = new Trainer({
        model: policy,
        tokenizer: model.tokenizer,
        task,
        grader,
        config,
        traceGroups: this.o.traceGroups ?? 4,
        checkpoints: run?.sink ?? this.o.checkpoints,
        onEvent: (e) => {
          run?.listener(e);
          this.forward(e);
        },
        ...(lora ? { lora } : {}),
      });
      this.run = { trainer, grader, policy, saved, memoryPeakBytes: 0 };
      if (resume) {
        try {
          trainer.restore(resume.checkpoint);
        } catch (e) {
          trainer.dispose();
          this.run = null;
          throw e;
        }
      }
    } catch (e) {
      grader.dispose();
      if (policy) loraOf(policy)?.dispose();
      policy?.dispose();
      if (saved) await (await this.persistence())?.setStatus(saved.runId, 'failed'); // listed as failed, not as a run to resume
      throw e;
    }
  }

  private async runLoop(): Promise<void> {
    this.pauseWanted = false;
    const run = this.currentRun();
    try {
      while (!this.pauseWanted && run.trainer.steps < run.trainer.config.max_steps) {
        await this.exclusive(() => this.measuredStep(run));
        this.o.emit({ kind: 'status', status: this.status() });
        await (this.o.yieldToEvents ?? macrotask)();
      }
      if (this.pauseWanted) {
        await this.exclusive(() => run.trainer.checkpoint('pause'));
        await this.saveStatus('paused');
        this.setState('paused');
      } else {
        await this.exclusive(() => run.trainer.checkpoint('end'));
        await this.saveStatus('done');
        await this.exclusive(async () => {
          this.dispose();
        }); // frees the optimizer state; the counter keeps the steps
        this.setState('stopped', `finished: ${this.lastSteps} steps (max_steps)`);
      }
    } catch (e) {
      this.fail(e);
      await this.saveStatus('failed');
      await this.exclusive(async () => {
        this.dispose();
      });
    } finally {
      this.pauseWanted = false;
    }
  }

  private forward(e: TrainerEvent): void {
    this.o.onTrainerEvent?.(e);
    if (e.kind === 'metrics') this.o.emit({ kind: 'metrics', step: e.step, metrics: e.metrics });
    else if (e.kind === 'samples') {
      const rows = e.samples;
      this.samples.set(e.step, rows);
      const keep = this.o.keepSampleSteps ?? 200;
      for (const k of this.samples.keys()) if (this.samples.size > keep) this.samples.delete(k);
      this.o.emit({ kind: 'samples', step: e.step, samples: rows });
      const failed = e.samples.findIndex((r) => r.error !== null);
      if (failed >= 0 && this.run?.trainer.config.pause_on_grader_error && this.state === 'running') {
        const f = e.samples[failed];
        const n = e.samples.filter((r) => r.error !== null).length;
        this.pauseWanted = true;
        this.o.emit({
          kind: 'error',
          error: {
            name: 'GraderFailed',
            message:
              `Step ${e.step + 1}: the grader failed on ${n} of ${e.samples.length} samples; the first is sample ${failed} ` +
              `(prompt ${JSON.stringify(f.prompt)}, output ${JSON.stringify(f.completion)}): ${f.error} ` +
              'The run paused (pause_on_grader_error): fix the grader, then resume; failed samples never train.',
          },
        });
      }
    } else if (e.kind === 'update') {
      this.updates.set(e.step, e.traces);
      for (const k of this.updates.keys()) if (this.updates.size > (this.o.keepSampleSteps ?? 200)) this.updates.delete(k);
    } else if (e.kind === 'restored') {
      this.o.emit({
        kind: 'error',
        error: {
          name: 'WeightsRestored',
          message: `Step ${e.step + 1}: ${e.failures} updates in a row had a non-finite loss or gradient, so the last good weights were restored. Lower the learning rate.`,
        },
      });
    }
  }

  private fail(e: unknown): void {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    this.o.emit({
      kind: 'error',
      error: {
        name: e instanceof Error ? e.name : 'Error',
        message: `The run stopped at step ${(this.run?.trainer.steps ?? 0) + 1}: ${message}`,
      },
    });
    this.setState('error');
  }

  /** Whether a run holds its grader (running or paused), so a local judge must not be freed under it. */
  get holdsGrader(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  private setState(state: RunState, message?: string): void {
    this.state = state;
    this.o.emit({ kind: 'status', status: this.status(message) });
  }

  private currentRun(): Run {
    if (this.run === null) throw new RunStateError('There is no run: press Start.');
    return this.run;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private dispose(): void {
    if (this.run === null) return;
    this.lastSteps = this.run.trainer.steps;
    this.lastPeak = this.run.memoryPeakBytes;
    this.run.trainer.dispose();
    this.run.grader.dispose();
    loraOf(this.run.policy)?.dispose(); // a LoRA run's adapter weights
    this.run.policy.dispose();
    this.run = null;
  }
}
