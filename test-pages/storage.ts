// Browser-test page for src/storage: exposes the store and a raw-IndexedDB helper to page.evaluate,
// so tests run against Chromium's real IndexedDB (no fake).
import { deleteDB } from 'idb';
import { CherryStore, DB_VERSION, StorageWriteError, StorageQuotaError, RunNotFoundError, recordRun } from '../src/storage';
import { DEFAULT_CONFIG } from '../src/rl/config';

/** Opens `name` at `version` with raw indexedDB, runs `setup` in its upgrade, then closes it. */
function rawCreate(name: string, version: number, setup: (db: IDBDatabase) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => setup(req.result);
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`open of ${name} blocked`));
  });
}

/** Writes `value` into `store` of database `name` at its current version with raw indexedDB. */
function rawPut(name: string, store: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).put(value);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    };
    req.onerror = () => reject(req.error);
  });
}

/** Counts the records of `store` whose key starts with runId (compound keys) or equals it. */
function rawCount(name: string, store: string, runId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      const db = req.result;
      const r = db.transaction(store).objectStore(store).getAllKeys();
      r.onsuccess = () => {
        db.close();
        resolve(r.result.filter((k) => (Array.isArray(k) ? k[0] === runId : k === runId)).length);
      };
      r.onerror = () => {
        db.close();
        reject(r.error);
      };
    };
    req.onerror = () => reject(req.error);
  });
}

const api = {
  CherryStore,
  recordRun,
  DB_VERSION,
  DEFAULT_CONFIG,
  StorageWriteError,
  StorageQuotaError,
  RunNotFoundError,
  deleteDB,
  rawCreate,
  rawPut,
  rawCount,
};
export type StoragePageApi = typeof api;

declare global {
  interface Window {
    cherryStorage?: StoragePageApi;
  }
}
window.cherryStorage = api;
document.body.dataset.ready = 'true';

/**
 * A real Trainer (tiny random Llama, char tokenizer, toy task, cpu backend) saving into IndexedDB through
 * the recorder and the checkpoint sink for `steps` steps; then reads everything back. Loaded on demand so
 * the other storage tests do not pay for tfjs.
 */
async function trainAndPersist(name: string, steps: number) {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const { Trainer } = await import('../src/rl/trainer');
  const { llamaFromSafetensors, tokenLogprobs } = await import('../src/model');
  const { checkpointFiles, readCheckpointFiles } = await import('../src/export/checkpoint');
  const fx = await import('../test/rl/trainerFixtures');
  await deleteDB(name);
  const store = await CherryStore.open({ name, keepCheckpoints: 2 });
  const config = {
    ...DEFAULT_CONFIG,
    batch_prompts: 2,
    num_generations: 4,
    max_completion_length: 2,
    learning_rate: 1e-2,
    eval_interval: 0,
    seed: 3,
    checkpoint_interval: 1,
    max_steps: steps,
  };
  const run = await store.createRun({
    name: 'trained',
    config,
    graderSource: { kind: 'js', code: 'function grade() { return 1; }' },
    data: { kind: 'task', task: 'toy' },
  });
  const errors: string[] = [];
  const rec = recordRun(store, run.id, (e) => errors.push(String(e)));
  const model = fx.tinyModel(1);
  const trainer = new Trainer({
    model,
    tokenizer: await fx.charTokenizer(),
    task: fx.toyTask(),
    grader: fx.lowercaseGrader(),
    config,
    onEvent: rec.listener,
    checkpoints: store.checkpointSink(run.id),
  });
  for (let i = 0; i < steps; i++) await trainer.step();
  await rec.flush();
  const cp = await store.latestCheckpoint(run.id);
  if (!cp) throw new Error('no checkpoint saved');
  const files = readCheckpointFiles(checkpointFiles(cp));
  const loaded = llamaFromSafetensors(files.config, files.safetensors, 'model.safetensors');
  const ids = [[1, 40, 41, 42, 2]];
  const a = tokenLogprobs(model, ids);
  const b = tokenLogprobs(loaded, ids);
  const same = JSON.stringify(await a.logprobs.array()) === JSON.stringify(await b.logprobs.array());
  const moments = Object.values(cp.optimizer.m);
  const result = {
    same,
    step: cp.step,
    optimizerStep: cp.optimizer.step,
    momentsAreF32: moments.length > 0 && moments.every((m) => m instanceof Float32Array),
    momentCount: moments.length,
    paramCount: model.params.size,
    cursor: cp.cursor,
    rngIsNumber: typeof cp.rngState === 'number',
    configSeed: cp.config.seed,
    checkpointSteps: await store.checkpointSteps(run.id),
    metricSteps: (await store.getMetrics(run.id)).metrics.map((m) => m.step),
    sampleCounts: await Promise.all((await store.sampleSteps(run.id)).map(async (s) => (await store.getSamples(run.id, s))?.length ?? -1)),
    lastStep: (await store.getRun(run.id)).lastStep,
    errors,
  };
  tf.dispose([a.logprobs, b.logprobs]);
  trainer.dispose();
  model.dispose();
  loaded.dispose();
  store.close();
  await deleteDB(name);
  return result;
}
window.cherryStorageTrain = trainAndPersist;

declare global {
  interface Window {
    cherryStorageTrain?: typeof trainAndPersist;
  }
}
