// Starts the train worker in the browser and returns the client that talks to it.
// Backend switching terminates the worker and starts a fresh one (tfjs cannot cleanly drop a backend).
import { TrainClient, type Endpoint } from './trainClient';

export function workerEndpoint(worker: Worker): Endpoint {
  return {
    send: (m, transfer) => worker.postMessage(m, transfer),
    onMessage: (receive) => worker.addEventListener('message', (e) => receive(e.data)),
    onCrash: (receive) => {
      worker.addEventListener('error', (e) => {
        e.preventDefault(); // shown in the error banner instead of as an uncaught console error
        receive(e.message === '' ? 'the worker script failed to load or threw while starting' : e.message);
      });
      worker.addEventListener('messageerror', () => receive('a message from the worker could not be deserialized'));
    },
    close: () => worker.terminate(),
  };
}

/** Spawns a fresh train worker. */
export function spawnTrainClient(): TrainClient {
  const worker = new Worker(new URL('./trainWorker.ts', import.meta.url), { type: 'module', name: 'cherry-train' });
  return new TrainClient(workerEndpoint(worker));
}
