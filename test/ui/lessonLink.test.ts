// The lesson a link names: `?lesson=` or `#lesson=`, with the tests' step override.
import { describe, expect, it } from 'vitest';
import { lessonFromUrl } from '../../src/ui/state';

describe('lessonFromUrl', () => {
  it('reads the query, then the hash', () => {
    expect(lessonFromUrl('?lesson=cake', '')).toEqual({ name: 'cake', steps: null });
    expect(lessonFromUrl('?backend=wasm', '#lesson=no-signal&lessonSteps=3')).toEqual({ name: 'no-signal', steps: 3 });
    expect(lessonFromUrl('?lesson=cake', '#lesson=hacking')).toEqual({ name: 'cake', steps: null });
  });
  it('is null without a lesson, and ignores a step override that is not a positive integer', () => {
    expect(lessonFromUrl('', '#task=arithmetic')).toBeNull();
    expect(lessonFromUrl('?lesson=', '')).toBeNull();
    expect(lessonFromUrl('?lesson=cake&lessonSteps=0', '')).toEqual({ name: 'cake', steps: null });
    expect(lessonFromUrl('?lesson=cake&lessonSteps=2.5', '')).toEqual({ name: 'cake', steps: null });
  });
});
