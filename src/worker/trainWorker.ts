// The train worker: owns tfjs, the model and the trainer.
// `init` chooses the backend, `tryGrader` runs a grader without training (src/graders), and every run
// request goes to one TrainSession (session.ts): loadModel, start, pause, resume, step, stop,
// setHyperparameter, getSamples, sampleForTry. Built-in models come from public/models/<name>/ on this origin.
// Every run is saved as it goes in IndexedDB (persist.ts: run record, metrics, samples, checkpoints);
// where IndexedDB cannot open, the error is reported once and checkpoints stay in memory (latest only).
import { chooseBackend } from './backend';
import { tryGrader } from '../graders';
import { validateGrader } from '../export/validate';
import { LocalModelJudge } from '../graders/judge/local';
import { buildPolicy, loadModelSource } from './modelLoader';
import { RunStateError } from './runSetup';
import { field } from './backendPolicy';
import { createHandler, type Handlers, type Post } from './handler';
import { toWireError } from './protocol';
import { WASM_URLS } from './wasmUrls';
import { TrainSession } from './session';
import { LatestCheckpointSink } from './checkpoints';
import { CherryStore } from '../storage';
import { RunPersistence } from './persist';
import { JudgeHolder } from './judgeHolder';

/**
 * tfjs starts each wasm thread from `String(itsEmscriptenFactory)`; a minifier that renames or moves
 * variables makes that text refer to names that do not exist in the thread ("e is not defined") and the
 * worker crashes. If this worker's own function names were mangled, assume that happened and run wasm
 * single-threaded. Fix: build the worker unminified (vite.config.ts: worker.rolldownOptions.output.minify = false).
 */
function threadsOffReason(): string | null {
  const probe = function cherryMinifyProbe(): void {};
  return probe.name === 'cherryMinifyProbe' ? null : 'this build minifies the worker, which breaks tfjs threaded wasm';
}

/** The page's HTTP judge (setJudge), for tryGrader and runs. */
const judge = new JudgeHolder();

/** Where models come from: built-in ones from the app's models/ folder, Hub ones through fetch. */
const FETCH = { fetch: (url: string) => fetch(url), modelsBase: new URL(`${import.meta.env.BASE_URL}models/`, self.location.origin).href };

/** A local judge's weights are freed when it is replaced: not while a run's grader still uses it. */
function refuseIfHeld(): void {
  if (judge.isLocal && session?.holdsGrader === true)
    throw new RunStateError('The run in progress grades with the current judge model: stop the run first, then change the judge.');
}

/** Built after `post` exists (below); the handlers only run once messages arrive. */
let session: TrainSession | null = null;
function live(): TrainSession {
  if (session === null) throw new Error('The train worker has not finished starting; try again.');
  return session;
}

const HANDLERS: Partial<Handlers> = {
  // The page keeps working when an explicit choice fails: it falls back and the reason says so.
  init: (req) =>
    chooseBackend(req.backend, {
      wasmPaths: WASM_URLS,
      fallback: true,
      wasmThreadsOff: threadsOffReason(),
      wasmThreads: navigator.hardwareConcurrency,
    }),
  // The grader runs in its own sandbox worker (src/graders/sandbox), started from here, never on the page.
  tryGrader: (req) => tryGrader(req.grader, req.requests, undefined, judge.loadOptions()),
  validateGrader: (req) => validateGrader(req.grader, judge.loadOptions()).catch((e: unknown) => ({ invalid: toWireError(e) })),
  setJudge: async (req) => {
    refuseIfHeld();
    judge.set(req.judge);
    return {};
  },
  setLocalJudge: async (req) => {
    refuseIfHeld();
    if (req.source === null) {
      judge.setLocal(null);
      return null;
    }
    const loaded = await loadModelSource(req.source, FETCH, () => {});
    const model = buildPolicy(loaded); // a copy of its own: never the policy a run trains
    judge.setLocal({
      judge: new LocalModelJudge(model, loaded.tokenizer, { label: `local model ${loaded.name}` }),
      dispose: () => model.dispose(),
    });
    return loaded.name;
  },
  judgeLog: async (req) => judge.log(req.since),
  loadModel: (req) => live().loadModel(req.source),
  cancelLoad: async () => live().cancelLoad(),
  start: (req) => live().start({ config: req.config, task: req.task, grader: req.grader }),
  pause: () => live().pause(),
  resume: () => live().resume(),
  step: (req) => live().step(req.start),
  stop: () => live().stop(),
  setHyperparameter: (req) => live().setHyperparameter(req.name, req.value),
  getSamples: async (req) => live().getSamples(req.step),
  resumeRun: (req) => live().resumeRun(req.runId, req.dataset),
  sampleForTry: (req) => live().sampleForTry(req),
  plan: async (req) => live().plan(req.config, req.task),
  loadAdapter: async (req) => live().loadAdapter(req.files, req.source),
  clearAdapter: async () => live().clearAdapter(),
  exportRun: (req) => live().exportRun(req.runId, req.format),
  getUpdate: async (req) => live().getUpdate(req.step),
};

/** Opens the saved runs once; a failure (private mode, blocked, newer schema) is reported and runs stay in memory. */
async function openPersistence(): Promise<RunPersistence | null> {
  const report = (error: { name: string; message: string }): void => post({ kind: 'error', error });
  try {
    const store = await CherryStore.open({ onPrune: (p) => report({ name: 'StoragePruned', message: p.message }) });
    return new RunPersistence(store, report);
  } catch (e) {
    report(toWireError(e));
    return null;
  }
}

/** The parts of DedicatedWorkerGlobalScope used here (tsconfig loads the DOM lib, not WebWorker). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
}

function isWorkerScope(x: unknown): x is WorkerScope {
  return typeof field(x, 'postMessage') === 'function' && typeof field(x, 'addEventListener') === 'function';
}

const global: unknown = globalThis;
if (!isWorkerScope(global)) throw new Error('trainWorker.ts must run as a dedicated Web Worker.');
const scope: WorkerScope = global;
const post: Post = (message, transfer) => scope.postMessage(message, transfer ?? []);
session = new TrainSession({
  emit: (event) => post(event),
  fetch: FETCH,
  checkpoints: new LatestCheckpointSink(),
  persistence: openPersistence,
  graderOptions: () => judge.loadOptions(),
});
const handle = createHandler(post, HANDLERS);
scope.addEventListener('message', (e) => {
  void handle(e.data);
});

// An uncaught error after start-up does not end a worker: report it as an `error` event (the page's
// banner shows it) instead of letting it reach the page as a crash. Load failures still do.
scope.addEventListener('error', (e) => {
  e.preventDefault();
  post({
    kind: 'error',
    error: { name: e.error instanceof Error ? e.error.name : 'Error', message: `Uncaught in the train worker: ${e.message}` },
  });
});
scope.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  post({ kind: 'error', error: toWireError(e.reason) });
});
