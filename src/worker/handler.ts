// The worker side of the protocol, independent of where it runs: takes raw incoming messages, checks
// them, dispatches each request to its handler and posts exactly one reply per request id.
// trainWorker.ts wires it to `self`; tests wire it to a MessageChannel in Node.
// The engine plugs in by supplying handlers; a kind without one replies NotImplementedError.
import {
  NotImplementedError,
  ProtocolError,
  isTrainRequest,
  toWireError,
  type ReplyOkOf,
  type Replies,
  type RequestKind,
  type RequestOf,
  type TrainEvent,
  type WorkerMessage,
} from './protocol';

/** What a handler can do besides returning its reply. */
export interface HandlerContext {
  /** Streams an event to the page (progress, metrics, samples, status, error). */
  emit(event: TrainEvent): void;
}

/** One async function per request kind; each resolves to that kind's reply or throws. */
export type Handlers = { [K in RequestKind]: (req: RequestOf<K>, ctx: HandlerContext) => Promise<Replies[K]> };

/** Posts one message to the page; `transfer` lists buffers to move rather than copy. */
export type Post = (message: WorkerMessage | ReplyOkOf<RequestKind>, transfer?: Transferable[]) => void;

/**
 * Returns the function to call with each incoming message's data. It never throws: a malformed
 * message becomes an `error` event, a failing handler becomes an `ok: false` reply.
 */
export function createHandler(post: Post, handlers: Partial<Handlers>): (data: unknown) => Promise<void> {
  const ctx: HandlerContext = { emit: (event) => post(event) };

  async function dispatch<K extends RequestKind>(req: RequestOf<K>): Promise<void> {
    const handler: Handlers[K] | undefined = handlers[req.kind];
    try {
      if (handler === undefined) throw new NotImplementedError(req.kind);
      const result = await handler(req, ctx);
      const reply: ReplyOkOf<K> = { kind: 'reply', id: req.id, ok: true, request: req.kind, result };
      post(reply);
    } catch (e) {
      post({ kind: 'reply', id: req.id, ok: false, request: req.kind, error: toWireError(e) });
    }
  }

  return async (data: unknown) => {
    if (!isTrainRequest(data)) {
      const seen = JSON.stringify(data)?.slice(0, 200) ?? String(data);
      post({
        kind: 'error',
        error: toWireError(
          new ProtocolError(
            `The train worker got a message it does not understand: ${seen}. Reload the page; if it persists, this is a bug.`,
          ),
        ),
      });
      return;
    }
    await dispatch(data);
  };
}
