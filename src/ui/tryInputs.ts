// Hand-written outputs for the grader's try-it pane, turned into grade requests (pure).
import { makeSample, type GradeRequest } from '../graders/types';

/** The non-empty lines of the outputs box, each one output to grade. */
export function tryLines(outputs: string): string[] {
  return outputs.split('\n').filter((l) => l.trim() !== '');
}

/**
 * One grade request per output, all against the same dataset item `{ reference_answer }`.
 * Token counts are unknown for hand-written text: the character count stands in for them.
 */
export function tryRequests(outputs: string, reference: string): GradeRequest[] {
  return tryLines(outputs).map((line) => ({
    sample: makeSample(line, line.length, 'stop'),
    item: { reference_answer: reference },
  }));
}
