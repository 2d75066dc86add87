// Messages between a grader host (the page, the train worker or Node) and a sandbox worker. They travel
// as JSON strings: user code in the sandbox only ever produces strings, never objects of the host realm.
import type { GradeRequest } from '../types';

/** Host → sandbox: grade `requests`, whose first element is sample number `start` of the batch. */
export interface GradeMessage {
  kind: 'grade';
  id: number;
  start: number;
  sampleTimeoutMs: number;
  requests: GradeRequest[];
}

/** Sandbox → host. */
export type SandboxMessage =
  | { kind: 'ready' }
  | { kind: 'load-error'; message: string; line: number | null; column: number | null }
  | {
      kind: 'result';
      id: number;
      index: number;
      reward: number | null;
      details: unknown;
      error: string | null;
      error_kind: 'timeout' | 'error' | null;
      ms: number;
    };

/** Something that ended a sandbox worker from the outside (not a message it sent). */
export interface SandboxFailure {
  /** 'oom': ran out of memory; 'syntax': the script did not parse; 'crash': any other exit. */
  kind: 'oom' | 'syntax' | 'crash';
  message: string;
  line?: number | null;
  column?: number | null;
}

/** One running sandbox worker, as the host sees it. */
export interface SandboxPort {
  post(message: string): void;
  /** Stops the worker at once (an infinite loop included). */
  terminate(): void;
}

export interface SandboxEvents {
  message(msg: SandboxMessage): void;
  failure(f: SandboxFailure): void;
}

/** Starts a fresh sandbox worker with the grader loaded; it reports 'ready' or 'load-error'. */
export type SandboxFactory = (events: SandboxEvents) => SandboxPort;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Parses and validates one sandbox message; returns null for anything malformed. */
export function parseSandboxMessage(text: unknown): SandboxMessage | null {
  if (typeof text !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  if (v.kind === 'ready') return { kind: 'ready' };
  if (v.kind === 'load-error') {
    return {
      kind: 'load-error',
      message: strOrNull(v.message) ?? 'grader failed to load',
      line: numOrNull(v.line),
      column: numOrNull(v.column),
    };
  }
  if (v.kind === 'result' && typeof v.id === 'number' && typeof v.index === 'number') {
    const ek = v.error_kind === 'timeout' || v.error_kind === 'error' ? v.error_kind : null;
    return {
      kind: 'result',
      id: v.id,
      index: v.index,
      reward: numOrNull(v.reward),
      details: v.details ?? null,
      error: strOrNull(v.error),
      error_kind: ek,
      ms: numOrNull(v.ms) ?? 0,
    };
  }
  return null;
}
