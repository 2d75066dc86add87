// OpenAI's POST /fine_tuning/alpha/graders/validate, engine side, for `cherry validate` and the page's
// Validate button: every field checked and the grader built once (templates, formulas, regexes, code
// syntax), then whether OpenAI RFT can run it as it is (Cherry's own grader types and options cannot).
import { validatePayload } from '../graders/openaiApi';
import type { LoadOptions } from '../graders';
import type { GraderSource } from '../graders/types';
import type { GraderSpec } from '../graders/spec';
import { tryGraderToOpenAI } from './openai';

/** A grader that passed: the checked spec (OpenAI's reply), and whether OpenAI accepts it (else why not). */
export interface GraderValidation {
  grader: GraderSpec;
  openai: { ok: true } | { ok: false; reason: string };
}

/** Throws what loading throws (GraderSpecError naming the field, GraderLoadError with line and column). */
export async function validateGrader(source: GraderSource, opts: LoadOptions = {}): Promise<GraderValidation> {
  const { grader } = await validatePayload(source, opts);
  const openai = tryGraderToOpenAI(source);
  return { grader, openai: openai.ok ? { ok: true } : { ok: false, reason: openai.error.message } };
}
