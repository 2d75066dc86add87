// The cake lesson's numbers (pure; unit-tested): where the SFT and RFT runs start and end, measured on
// validation when the run was evaluated (else its training reward), against the SFT labels' accuracy.
import { read } from './keys';
import type { ChartRun } from './series';

export interface RunEnds {
  measure: 'validation' | 'training reward';
  firstStep: number;
  first: number;
  lastStep: number;
  last: number;
}

/** First and last measured value of a run; null when it has none. */
export function runEnds(run: ChartRun | null): RunEnds | null {
  if (run === null) return null;
  const pts = [...run.points].sort((a, b) => a.step - b.step);
  for (const [measure, f] of [
    ['validation', read.validation],
    ['training reward', read.rewardMean],
  ] as const) {
    const got = pts.flatMap((p) => {
      const v = f(p);
      return v === null ? [] : [{ step: p.step, v }];
    });
    if (got.length > 0) {
      return { measure, firstStep: got[0].step, first: got[0].v, lastStep: got[got.length - 1].step, last: got[got.length - 1].v };
    }
  }
  return null;
}

/** How far past the label accuracy a run must end to count as "beyond the labels". */
export const MARGIN = 0.02;

/** One sentence on what the runs show, for the numbers at hand. */
export function cakeVerdict(sft: RunEnds | null, rft: RunEnds | null, labelAccuracy: number): string {
  const p = (x: number) => `${Math.round(x * 100)}%`;
  if (sft === null && rft === null) return 'Run SFT and RFT on the arithmetic task to see the lesson.';
  if (rft === null)
    return `SFT reached ${p(sft?.last ?? 0)}; its labels are right ${p(labelAccuracy)} of the time. Now run RFT from the same start.`;
  if (rft.last > labelAccuracy + MARGIN) {
    return `RFT reached ${p(rft.last)}, past the ${p(labelAccuracy)} its labels would allow: the grader taught what the labels could not.`;
  }
  return `RFT is at ${p(rft.last)}, not yet past the labels’ ${p(labelAccuracy)}: give it more steps, or check the grader.`;
}
