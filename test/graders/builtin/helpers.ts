// Test helpers: build a built-in grader and grade one text. Code graders are not built here: a test that
// needs one injects its own factory (and says so).
import { createSpecGrader } from '../../../src/graders/builtin';
import type { GraderSpec } from '../../../src/graders/spec';
import { makeSample, type GradeResult, type Grader, type Item } from '../../../src/graders/types';

export const noCodeGraders = async (): Promise<Grader> => {
  throw new Error('this test builds no code graders');
};

export async function build(spec: GraderSpec): Promise<Grader> {
  return createSpecGrader(spec, { createCodeGrader: noCodeGraders });
}

export async function gradeText(spec: GraderSpec, text: string, item: Item = {}): Promise<GradeResult> {
  const g = await build(spec);
  const [r] = await g.gradeBatch([{ sample: makeSample(text, 1), item }]);
  return r;
}

/** The GraderSpecError (or other error) message thrown while loading `spec`. */
export async function loadError(spec: unknown): Promise<Error> {
  try {
    // Deliberately unchecked input: the loader must reject it.
    await createSpecGrader(spec as GraderSpec, { createCodeGrader: noCodeGraders }); // cast: testing invalid specs
  } catch (e) {
    if (e instanceof Error) return e;
    throw e;
  }
  throw new Error('spec loaded without an error');
}
