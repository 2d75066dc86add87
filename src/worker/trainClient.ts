// The page side of the protocol: one client object; a promise per request, resolved by the reply with
// the same id; event subscription. Worker errors surface twice: as the rejected promise of the
// request that failed, and as an `error` event (so the page's error banner sees every failure).
// Knows nothing of tfjs; the worker is created with Vite's `new Worker(new URL(...))` pattern.
import {
  ProtocolError,
  isWorkerMessage,
  type EventKind,
  type ReplyOk,
  type Replies,
  type RequestBodies,
  type RequestKind,
  type RequestOf,
  type TrainEvent,
  type WireError,
} from './protocol';

/** A message channel to the worker: a Worker in the browser, a MessagePort in tests. */
export interface Endpoint {
  send(message: RequestOf<RequestKind>, transfer: Transferable[]): void;
  /** Registers the receiver of every incoming message's data. */
  onMessage(receive: (data: unknown) => void): void;
  /** Registers the receiver of a crash (an uncaught error in the worker, or a failed worker load). */
  onCrash(receive: (message: string) => void): void;
  /** Stops the worker / closes the port. */
  close(): void;
}

/** A request rejected by the worker; `name` is the worker-side error class. */
export class WorkerError extends Error {
  constructor(
    wire: WireError,
    readonly request: RequestKind | null,
  ) {
    super(wire.message);
    this.name = wire.name;
  }
}

/** The worker went away (closed by the page, or crashed) before replying. */
export class WorkerClosedError extends Error {
  override name = 'WorkerClosedError';
}

type EventOf<E extends EventKind> = Extract<TrainEvent, { kind: E }>;
type Listener = (event: TrainEvent) => void;

/** Picks the typed result of kind K out of a reply, or null when the reply is for another kind. */
const PICK: { [K in RequestKind]: (m: ReplyOk) => { value: Replies[K] } | null } = {
  init: (m) => (m.request === 'init' ? { value: m.result } : null),
  loadModel: (m) => (m.request === 'loadModel' ? { value: m.result } : null),
  cancelLoad: (m) => (m.request === 'cancelLoad' ? { value: m.result } : null),
  start: (m) => (m.request === 'start' ? { value: m.result } : null),
  pause: (m) => (m.request === 'pause' ? { value: m.result } : null),
  resume: (m) => (m.request === 'resume' ? { value: m.result } : null),
  step: (m) => (m.request === 'step' ? { value: m.result } : null),
  stop: (m) => (m.request === 'stop' ? { value: m.result } : null),
  setHyperparameter: (m) => (m.request === 'setHyperparameter' ? { value: m.result } : null),
  getSamples: (m) => (m.request === 'getSamples' ? { value: m.result } : null),
  tryGrader: (m) => (m.request === 'tryGrader' ? { value: m.result } : null),
  validateGrader: (m) => (m.request === 'validateGrader' ? { value: m.result } : null),
  resumeRun: (m) => (m.request === 'resumeRun' ? { value: m.result } : null),
  plan: (m) => (m.request === 'plan' ? { value: m.result } : null),
  loadAdapter: (m) => (m.request === 'loadAdapter' ? { value: m.result } : null),
  clearAdapter: (m) => (m.request === 'clearAdapter' ? { value: m.result } : null),
  exportRun: (m) => (m.request === 'exportRun' ? { value: m.result } : null),
  sampleForTry: (m) => (m.request === 'sampleForTry' ? { value: m.result } : null),
  setJudge: (m) => (m.request === 'setJudge' ? { value: m.result } : null),
  setLocalJudge: (m) => (m.request === 'setLocalJudge' ? { value: m.result } : null),
  judgeLog: (m) => (m.request === 'judgeLog' ? { value: m.result } : null),
  getUpdate: (m) => (m.request === 'getUpdate' ? { value: m.result } : null),
};

interface Pending {
  resolve(reply: ReplyOk): void;
  reject(error: Error): void;
}

export class TrainClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  private closed = false;

  constructor(private readonly endpoint: Endpoint) {
    endpoint.onMessage((data) => this.receive(data));
    endpoint.onCrash((message) => this.crash(message));
  }

  /** Sends a request; resolves with its reply, rejects with WorkerError / WorkerClosedError. */
  request<K extends RequestKind>(kind: K, body: RequestBodies[K], transfer: Transferable[] = []): Promise<Replies[K]> {
    if (this.closed) return Promise.reject(new WorkerClosedError(`The train worker is closed; cannot send '${kind}'. Reload the page.`));
    const id = this.nextId++;
    const message: RequestOf<K> = { kind, id, ...body };
    return new Promise<Replies[K]>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => {
          const picked = PICK[kind](reply);
          if (picked === null) reject(new ProtocolError(`Reply ${id} answers '${reply.request}' but request ${id} was '${kind}'.`));
          else resolve(picked.value);
        },
        reject,
      });
      this.endpoint.send(message, transfer);
    });
  }

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<E extends EventKind>(kind: E, fn: (event: EventOf<E>) => void): () => void {
    const listener: Listener = (event) => {
      const typed = narrow(kind, event);
      if (typed !== null) fn(typed);
    };
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Number of requests still waiting for a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Closes the worker; pending requests reject with WorkerClosedError. */
  close(): void {
    if (this.closed) return;
    this.endpoint.close();
    this.fail(new WorkerClosedError('The train worker was closed before it replied.'));
  }

  private receive(data: unknown): void {
    if (!isWorkerMessage(data)) {
      this.emit({
        kind: 'error',
        error: {
          name: 'ProtocolError',
          message: `The page got a message it does not understand from the train worker: ${JSON.stringify(data)?.slice(0, 200)}.`,
        },
      });
      return;
    }
    if (data.kind !== 'reply') {
      this.emit(data);
      return;
    }
    const pending = this.pending.get(data.id);
    if (pending === undefined) {
      this.emit({
        kind: 'error',
        error: { name: 'ProtocolError', message: `The train worker replied to unknown request ${data.id} ('${data.request}').` },
      });
      return;
    }
    this.pending.delete(data.id);
    if (data.ok) {
      pending.resolve(data);
      return;
    }
    pending.reject(new WorkerError(data.error, data.request));
    this.emit({ kind: 'error', error: data.error });
  }

  private crash(message: string): void {
    this.emit({ kind: 'error', error: { name: 'WorkerCrash', message } });
    this.fail(new WorkerClosedError(`The train worker stopped: ${message}`));
  }

  private fail(error: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private emit(event: TrainEvent): void {
    for (const l of this.listeners) l(event);
  }
}

function narrow<E extends EventKind>(kind: E, event: TrainEvent): EventOf<E> | null {
  const match = (e: TrainEvent): e is EventOf<E> => e.kind === kind;
  return match(event) ? event : null;
}

/** An Endpoint over a MessagePort (tests, or a port handed over by a SharedWorker). */
export function portEndpoint(port: MessagePort): Endpoint {
  return {
    send: (m, transfer) => port.postMessage(m, transfer),
    onMessage: (receive) => {
      port.addEventListener('message', (e) => receive(e.data));
      port.start();
    },
    onCrash: (receive) => port.addEventListener('messageerror', () => receive('a message could not be deserialized')),
    close: () => port.close(),
  };
}
