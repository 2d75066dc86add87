// Connects the page to the train worker: starts it, turns replies and events into store actions, and
// restarts it when the backend is switched. The only UI module that knows about TrainClient.
// Engine hook: as the worker learns loadModel / start / … these methods already send them; only the
// worker side needs handlers.
import { WorkerClosedError, WorkerError, type TrainClient } from '../worker/trainClient';
import type { BackendRequest, ModelSource, RunStatus } from '../worker/protocol';
import type { GradeRequest } from '../graders/types';
import type { Store } from './store';

export class EngineController {
  private client: TrainClient | null = null;

  constructor(private readonly store: Store, private readonly spawn: () => TrainClient) {}

  /** (Re)starts the worker on the requested backend. Resolves when the worker has replied. */
  async initBackend(requested: BackendRequest): Promise<void> {
    const client = this.restart();
    this.store.dispatch({ type: 'backend/starting', requested });
    try {
      const choice = await client.request('init', { backend: requested });
      if (client === this.client) this.store.dispatch({ type: 'backend/ready', choice });
    } catch {
      // The client raised an `error` event too (shown in the banner), unless we closed it ourselves.
      if (client === this.client) this.store.dispatch({ type: 'backend/failed' });
    }
  }

  /** Loads a model in the worker; progress events and the reply land in the store's `model`. */
  async loadModel(source: ModelSource): Promise<void> {
    this.store.dispatch({ type: 'model/progress', loadedBytes: 0, totalBytes: 0 });
    try {
      this.store.dispatch({ type: 'model/ready', info: await this.live().request('loadModel', { source }) });
    } catch (e) {
      this.store.dispatch({ type: 'model/failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Starts a run with the current config. */
  start(): Promise<void> { return this.run('start', () => this.live().request('start', { config: this.store.getState().run.config })); }
  pause(): Promise<void> { return this.run('pause', () => this.live().request('pause', {})); }
  resume(): Promise<void> { return this.run('resume', () => this.live().request('resume', {})); }
  step(): Promise<void> { return this.run('step', () => this.live().request('step', {})); }
  stop(): Promise<void> { return this.run('stop', () => this.live().request('stop', {})); }

  /** Runs the editor's grader on hand-written samples; the outcome lands in grader.tryResult. */
  async tryGrader(requests: GradeRequest[]): Promise<void> {
    const code = this.store.getState().grader.code;
    this.store.dispatch({ type: 'grader/trying' });
    try {
      const results = await this.live().request('tryGrader', { grader: { kind: 'js', code }, requests });
      this.store.dispatch({ type: 'grader/tried', result: { results } });
    } catch (e) {
      this.store.dispatch({ type: 'grader/tried', result: { error: e instanceof Error ? e.message : String(e) } });
    }
  }

  /** Stops the worker for good (page unmount). */
  dispose(): void {
    this.client?.close();
    this.client = null;
  }

  private restart(): TrainClient {
    this.client?.close();
    const client = this.spawn();
    this.client = client;
    const { dispatch } = this.store;
    client.on('error', (e) => dispatch({ type: 'error/raise', name: e.error.name, message: e.error.message }));
    client.on('status', (e) => dispatch({ type: 'run/status', state: e.status.state, step: e.status.step }));
    client.on('metrics', (e) => dispatch({ type: 'run/metrics', point: { ...e.metrics, step: e.step } }));
    client.on('samples', (e) => dispatch({ type: 'run/samples', samples: e.samples }));
    client.on('progress', (e) => dispatch({ type: 'model/progress', loadedBytes: e.loadedBytes, totalBytes: e.totalBytes }));
    return client;
  }

  private live(): TrainClient {
    if (this.client === null) throw new Error('The train worker is not running; reload the page.');
    return this.client;
  }

  private async run(what: string, send: () => Promise<RunStatus>): Promise<void> {
    try {
      const status = await send();
      this.store.dispatch({ type: 'run/status', state: status.state, step: status.step });
    } catch (e) {
      // Worker-side failures were already raised as `error` events; anything else is raised here.
      if (!(e instanceof WorkerError) && !(e instanceof WorkerClosedError)) {
        this.store.dispatch({ type: 'error/raise', name: 'Error', message: `${what}: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  }
}
