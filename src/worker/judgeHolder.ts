// The page's HTTP judge for model graders, held in the train worker's memory only. The page sends its
// settings (`setJudge`, from its localStorage) and reads the request log (`judgeLog`); tryGrader and every
// run started afterwards use the judge. The key lives here and in the page's storage, nowhere else: it is
// not part of StartBody, so it never reaches run records, exports or share links, and the log entries
// carry no headers.
import { HttpJudge, type JudgeLogEntry } from '../graders/judge/http';
import type { LoadOptions } from '../graders';
import type { JudgeSettings } from './protocol';

export class JudgeHolder {
  private judge: HttpJudge | null = null;

  /** Replaces the judge (null removes it). Throws JudgeError for a URL that is not http(s). */
  set(s: JudgeSettings | null, fetchImpl?: typeof fetch): void {
    this.judge =
      s === null || s.baseURL.trim() === ''
        ? null
        : new HttpJudge({
            baseURL: s.baseURL.trim(),
            apiKey: s.apiKey,
            ...(s.model.trim() ? { model: s.model.trim() } : {}),
            ...(fetchImpl ? { fetch: fetchImpl } : {}),
          });
  }

  /** The load options that give graders the judge (none without one). */
  loadOptions(): LoadOptions {
    return this.judge ? { judge: this.judge } : {};
  }

  /** The log entries after the first `since` ones (the page polls with how many it has). */
  log(since: number): JudgeLogEntry[] {
    return this.judge ? this.judge.log.slice(Math.max(0, since)) : [];
  }
}
