// The page's judge for model graders, held in the train worker's memory only: an HTTP endpoint
// (`setJudge`, from the page's localStorage) whose request log the page reads (`judgeLog`), or a local
// model loaded as its own frozen copy (`setLocalJudge`), never the policy being trained. tryGrader and
// every run started afterwards use it. The key lives here and in the page's storage, nowhere else: it is
// not part of StartBody, so it never reaches run records, exports or share links, and the log entries
// carry no headers.
import { HttpJudge, type JudgeLogEntry } from '../graders/judge/http';
import type { LoadOptions } from '../graders';
import type { Judge } from '../graders/judge/types';
import type { JudgeSettings } from './protocol';

export class JudgeHolder {
  private judge: HttpJudge | null = null;
  private local: { judge: Judge; dispose(): void } | null = null;

  /** Makes a local model the judge (null removes it); `dispose` frees its weights when it is replaced. */
  setLocal(local: { judge: Judge; dispose(): void } | null): void {
    this.local?.dispose();
    this.local = local;
    this.judge = null;
  }

  /** Replaces the judge with an HTTP one (null removes it). Throws JudgeError for a URL that is not http(s). */
  set(s: JudgeSettings | null, fetchImpl?: typeof fetch): void {
    const next =
      s === null || s.baseURL.trim() === ''
        ? null
        : new HttpJudge({
            baseURL: s.baseURL.trim(),
            apiKey: s.apiKey,
            ...(s.model.trim() ? { model: s.model.trim() } : {}),
            ...(fetchImpl ? { fetch: fetchImpl } : {}),
          });
    this.setLocal(null);
    this.judge = next;
  }

  /** Whether the judge is a local model (replacing it frees its weights). */
  get isLocal(): boolean {
    return this.local !== null;
  }

  /** The load options that give graders the judge (none without one). */
  loadOptions(): LoadOptions {
    const judge = this.local?.judge ?? this.judge;
    return judge ? { judge } : {};
  }

  /** The log entries after the first `since` ones (the page polls with how many it has). */
  log(since: number): JudgeLogEntry[] {
    return this.judge ? this.judge.log.slice(Math.max(0, since)) : [];
  }
}
