// Where the sandbox runs, and the options every sandboxed grader takes.
import type { GraderLimits } from '../types';

/** Options for one sandboxed grader. */
export interface CodeGraderOptions {
  /** Display name used in every message (default 'grader'). */
  name?: string;
  /** Time limits; missing fields take DEFAULT_LIMITS. */
  limits?: Partial<GraderLimits>;
  /** Time allowed for loading (top-level code; for Python also Pyodide start-up), ms. */
  loadTimeoutMs?: number;
  /** Node only: heap cap of the worker, MB (default 256). In the browser a worker has no memory cap. */
  memoryMb?: number;
}

/** True when running under Node (CLI, tests); false in a browser page or Web Worker. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

/** Globals removed before user code runs (network, code loading, the page); reading one throws a clear error. */
export const BLOCKED_GLOBALS = [
  'fetch',
  'fetchLater',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'indexedDB',
  'caches',
  'cookieStore',
  'postMessage',
  'RTCPeerConnection',
  'RTCDataChannel',
  'navigator',
  'storageBuckets',
  'Request',
  // Font loading and notifications can fetch a URL too.
  'FontFace',
  'fonts',
  'Notification',
];
