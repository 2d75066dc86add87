// The page's one store: a reducer over plain state, read through useSyncExternalStore.
// Components select what they need (useUi) and send actions (useDispatch); the engine controller
// (engine.ts) turns worker replies and events into actions. One store per App instance: no module-global
// training state (a test can mount two pages side by side).
//
// Shapes other panels read (keep them stable):
//   metrics — one MetricPoint per completed step, sorted by step, 0-based `step` (the trainer's step
//             index; the step counter shows completed steps = last step + 1). The engine's typed
//             StepMetrics (src/schema/metrics.ts); `eval_reward_mean` only on evaluation steps. A new
//             run clears them.
//   samples — every completion of the latest step (SampleRecord, src/schema/metrics.ts), group by
//             group; older steps come from EngineController.samplesOf(step). A new run clears them.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type {
  AdapterInfo,
  BackendChoice,
  BackendRequest,
  MemoryPlanInfo,
  ModelInfo,
  RunConfig,
  RunState,
  SampleRecord,
  StepMetrics,
} from '../worker/protocol';
import type { GradeResult } from '../graders/types';
import type { Dataset } from '../data';
import { defaultGraderText } from './task/taskOptions';
import type { ChartRun } from './charts/series';
import type { ControlOptions } from '../export/urlState';

export type Theme = 'system' | 'light' | 'dark';

/** One point of the charts: one step's metrics record (its `step` included). */
export type MetricPoint = StepMetrics;

export interface UiError {
  /** Increasing id, for keys and dismissal. */
  id: number;
  /** Error class name, e.g. "BackendUnavailableError". */
  name: string;
  message: string;
}

export interface UiState {
  backend: {
    /** What the user asked for (URL `?backend=` or the switcher). */
    requested: BackendRequest;
    /** What the worker really set, or null while starting / after a failure. */
    choice: BackendChoice | null;
    status: 'starting' | 'ready' | 'error';
  };
  model: {
    status: 'none' | 'loading' | 'ready' | 'error';
    /** What is loaded or loading: a built-in model's name, or the picked folder's; null when none. */
    name: string | null;
    /** Where it comes from: public/models (builtin), files the user picked, or the Hub / a URL. */
    source: 'builtin' | 'files' | 'hub' | null;
    info: ModelInfo | null;
    /** Download progress while loading, bytes. */
    loadedBytes: number;
    totalBytes: number;
    /** What the download is doing ("config.json 1.2 MB of 3 MB, 2 MB/s, 1 s left"); '' when not told. */
    progressLabel: string;
    /** Set when the last load failed (with status 'error', or 'ready' when the previous model is still loaded). */
    error: string | null;
    /** The model loaded before the load in progress: the worker keeps it when that load fails. */
    previous: { name: string | null; source: 'builtin' | 'files' | 'hub' | null; info: ModelInfo } | null;
  };
  /** Name of the selected built-in task. */
  task: string;
  /** An uploaded JSONL dataset: parsed and split, or why it could not be used; null when none. */
  dataset: { file: string; data: Dataset } | { file: string; error: string } | null;
  grader: {
    /** The grader's source in the editor: the task's default (taskOptions graderText) until the person edits it. */
    code: string;
    /** Last try-it outcome: results, an error message, or null before the first try. */
    tryResult: { results: GradeResult[] } | { error: string } | null;
    trying: boolean;
  };
  /**
   * The run: state and completed steps (from the worker), the user's hyperparameter overrides, a note
   * ("finished: 60 steps"), and how the run whose metrics are shown trained (its algo at start: sft or
   * rft); kind is null before any run and once the task or model changed (nothing to compare with).
   */
  run: {
    state: RunState;
    step: number;
    config: RunConfig;
    message: string | null;
    kind: 'sft' | 'rft' | null;
    memoryPeakBytes: number | null;
  };
  /**
   * The memory plan of the run Start would begin (the worker's, for the loaded model, config, task and
   * adapter on this backend), or why it could not be made; null until asked. A plan with problems blocks Start.
   */
  plan: { info: MemoryPlanInfo } | { error: string } | null;
  /** A PEFT adapter loaded to continue from (the next run trains it); null when none. */
  adapter: AdapterInfo | null;
  metrics: MetricPoint[];
  /**
   * Earlier runs the charts overlay on the current one: the last SFT run and the last RFT run, each
   * kept when the next run starts (so a person can run SFT, then GRPO from the same model, and see
   * both). Cleared when the task, the dataset or the model changes.
   */
  lastRuns: ChartRun[];
  samples: SampleRecord[];
  errors: UiError[];
  /** Id of the last error raised (ids keep increasing after dismissals). */
  lastErrorId: number;
  theme: Theme;
  /** Hyperparameter controls a link hides or locks (a lesson's setup); both empty by default. */
  controls: ControlOptions;
}

export type Action =
  | { type: 'backend/starting'; requested: BackendRequest }
  | { type: 'backend/ready'; choice: BackendChoice }
  | { type: 'backend/failed' }
  | { type: 'model/loading'; name: string; source: 'builtin' | 'files' | 'hub' }
  | { type: 'model/reset' }
  | { type: 'model/progress'; loadedBytes: number; totalBytes: number; label?: string }
  | { type: 'model/ready'; info: ModelInfo }
  | { type: 'model/failed'; message: string }
  | { type: 'task/select'; task: string }
  | { type: 'dataset/set'; dataset: UiState['dataset'] }
  | { type: 'grader/edit'; code: string }
  | { type: 'grader/trying' }
  | { type: 'grader/tried'; result: { results: GradeResult[] } | { error: string } }
  | { type: 'run/status'; state: RunState; step: number; message?: string; memoryPeakBytes?: number }
  | { type: 'run/reset' }
  | { type: 'run/config'; config: RunConfig }
  | { type: 'run/metrics'; point: MetricPoint }
  | { type: 'run/samples'; samples: SampleRecord[] }
  /** Worker events gathered over a few frames (engine.ts): applied as one update, in arrival order. */
  | {
      type: 'run/batch';
      points: MetricPoint[];
      samples: SampleRecord[] | null;
      status: { state: RunState; step: number; message?: string; memoryPeakBytes?: number } | null;
    }
  | { type: 'plan/set'; plan: UiState['plan'] }
  | { type: 'adapter/set'; adapter: AdapterInfo | null }
  | { type: 'error/raise'; name: string; message: string }
  | { type: 'error/dismiss'; id: number }
  | { type: 'theme/set'; theme: Theme }
  | { type: 'controls/set'; controls: ControlOptions };

export function initialState(requested: BackendRequest): UiState {
  return {
    backend: { requested, choice: null, status: 'starting' },
    model: {
      status: 'none',
      name: null,
      source: null,
      info: null,
      loadedBytes: 0,
      totalBytes: 0,
      progressLabel: '',
      error: null,
      previous: null,
    },
    task: 'arithmetic',
    dataset: null,
    grader: { code: defaultGraderText('arithmetic'), tryResult: null, trying: false },
    run: { state: 'idle', step: 0, config: {}, message: null, kind: null, memoryPeakBytes: null },
    plan: null,
    adapter: null,
    metrics: [],
    lastRuns: [],
    samples: [],
    errors: [],
    lastErrorId: 0,
    theme: 'system',
    controls: { hide: [], lock: [] },
  };
}

export function reduce(s: UiState, a: Action): UiState {
  switch (a.type) {
    case 'backend/starting':
      return { ...s, backend: { requested: a.requested, choice: null, status: 'starting' } };
    case 'backend/ready':
      return { ...s, backend: { ...s.backend, choice: a.choice, status: 'ready' } };
    case 'backend/failed':
      return { ...s, backend: { ...s.backend, choice: null, status: 'error' } };
    case 'model/loading': {
      const previous =
        s.model.status === 'ready' && s.model.info !== null
          ? { name: s.model.name, source: s.model.source, info: s.model.info }
          : s.model.previous;
      return {
        ...s,
        ...incomparable(s),
        plan: null,
        adapter: null,
        model: {
          status: 'loading',
          name: a.name,
          source: a.source,
          info: null,
          loadedBytes: 0,
          totalBytes: 0,
          progressLabel: '',
          error: null,
          previous,
        },
      };
    }
    case 'model/reset':
      return { ...s, model: initialState(s.backend.requested).model, run: { ...s.run, state: 'idle', message: null } };
    case 'model/progress':
      return {
        ...s,
        model: { ...s.model, status: 'loading', loadedBytes: a.loadedBytes, totalBytes: a.totalBytes, progressLabel: a.label ?? '' },
      };
    case 'model/ready':
      return { ...s, model: { ...s.model, status: 'ready', info: a.info, error: null, previous: null } };
    case 'model/failed': {
      const p = s.model.previous; // the worker still holds it
      return {
        ...s,
        model:
          p === null
            ? { ...s.model, status: 'error', error: a.message }
            : { ...s.model, status: 'ready', name: p.name, source: p.source, info: p.info, error: a.message, previous: null },
      };
    }
    // Picking a built-in task means training on it: an uploaded dataset no longer applies. The editor
    // switches to the new task's grader unless the person changed the old one (GraderPanel offers a reset).
    case 'task/select': {
      const edited = s.grader.code !== defaultGraderText(s.task);
      const grader = edited || a.task === s.task ? s.grader : { code: defaultGraderText(a.task), tryResult: null, trying: s.grader.trying };
      return { ...s, ...(a.task === s.task && s.dataset === null ? {} : incomparable(s)), task: a.task, dataset: null, grader };
    }
    case 'dataset/set':
      return { ...s, ...incomparable(s), dataset: a.dataset };
    case 'grader/edit':
      return { ...s, grader: { ...s.grader, code: a.code } };
    case 'grader/trying':
      return { ...s, grader: { ...s.grader, trying: true } };
    case 'grader/tried':
      return { ...s, grader: { ...s.grader, trying: false, tryResult: a.result } };
    case 'run/status':
      return {
        ...s,
        run: {
          ...s.run,
          state: a.state,
          step: a.step,
          message: a.message ?? null,
          memoryPeakBytes: a.memoryPeakBytes ?? s.run.memoryPeakBytes,
        },
      };
    case 'run/reset':
      return {
        ...s,
        metrics: [],
        samples: [],
        lastRuns: keepRun(s),
        run: { ...s.run, step: 0, message: null, kind: s.run.config.algo === 'sft' ? 'sft' : 'rft', memoryPeakBytes: null },
      };
    case 'run/config':
      return { ...s, run: { ...s.run, config: { ...s.run.config, ...a.config } } };
    case 'run/metrics':
      return { ...s, metrics: [...s.metrics.filter((p) => p.step !== a.point.step), a.point].sort((x, y) => x.step - y.step) };
    case 'run/samples':
      return { ...s, samples: a.samples };
    case 'run/batch': {
      const steps = new Set(a.points.map((p) => p.step));
      const metrics =
        a.points.length === 0 ? s.metrics : [...s.metrics.filter((p) => !steps.has(p.step)), ...a.points].sort((x, y) => x.step - y.step);
      const run =
        a.status === null
          ? s.run
          : {
              ...s.run,
              state: a.status.state,
              step: a.status.step,
              message: a.status.message ?? null,
              memoryPeakBytes: a.status.memoryPeakBytes ?? s.run.memoryPeakBytes,
            };
      return { ...s, metrics, run, samples: a.samples ?? s.samples };
    }
    case 'error/raise': {
      const id = s.lastErrorId + 1;
      return { ...s, lastErrorId: id, errors: [...s.errors, { id, name: a.name, message: a.message }] };
    }
    case 'error/dismiss':
      return { ...s, errors: s.errors.filter((e) => e.id !== a.id) };
    case 'plan/set':
      return { ...s, plan: a.plan };
    case 'adapter/set':
      return { ...s, adapter: a.adapter };
    case 'theme/set':
      return { ...s, theme: a.theme };
    case 'controls/set':
      return { ...s, controls: a.controls };
  }
}

/** Runs no longer comparable with what comes next (another task, dataset or model): none kept, the shown one not kept either. */
function incomparable(s: UiState): Pick<UiState, 'lastRuns' | 'run'> {
  return { lastRuns: [], run: { ...s.run, kind: null } };
}

/** The kept runs once a new run starts: the shown run replaces the kept one of its kind. */
function keepRun(s: UiState): ChartRun[] {
  const kind = s.run.kind;
  if (kind === null || s.metrics.length === 0) return s.lastRuns;
  const run: ChartRun = { id: kind, label: kind === 'sft' ? 'SFT' : 'RFT', kind, points: s.metrics };
  return [...s.lastRuns.filter((r) => r.kind !== kind), run].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'sft' ? -1 : 1));
}

export interface Store {
  getState(): UiState;
  subscribe(listener: () => void): () => void;
  dispatch(action: Action): void;
}

export function createStore(initial: UiState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    dispatch: (action) => {
      state = reduce(state, action);
      for (const l of listeners) l();
    },
  };
}

export const StoreContext = createContext<Store | null>(null);

function useStore(): Store {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('A Cherry component was rendered outside <StoreContext.Provider>; render it inside <App>.');
  return store;
}

/**
 * Reads a slice of the state; re-renders when that slice changes (by ===). The selector must return
 * a part of the state (or a primitive), not a new object, or React re-renders forever.
 */
export function useUi<T>(select: (s: UiState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

export function useDispatch(): (action: Action) => void {
  return useStore().dispatch;
}
