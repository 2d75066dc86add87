// string_check (OpenAI): compares the rendered `input` with the rendered `reference`.
// eq: equal; ne: not equal; like: reference is a substring of input; ilike: the same, ignoring case. 1 or 0.
import type { Grader } from '../types';
import type { StringCheckSpec } from '../spec';
import { Template } from '../template';
import { syncGrader } from './base';
import type { Fields } from './fields';
import { fieldPath } from './errors';

export const STRING_CHECK_OPERATIONS = ['eq', 'ne', 'like', 'ilike'] as const;

export function validateStringCheck(f: Fields, name: string): StringCheckSpec {
  return {
    type: 'string_check',
    name,
    input: f.str('input'),
    reference: f.str('reference'),
    operation: f.oneOf('operation', STRING_CHECK_OPERATIONS),
  };
}

export function createStringCheck(spec: StringCheckSpec, path: string): Grader {
  const input = Template.parse(spec.input, fieldPath(path, 'input'));
  const reference = Template.parse(spec.reference, fieldPath(path, 'reference'));
  const op = spec.operation;
  return syncGrader(spec.name, (sample, item) => {
    const a = input.render({ sample, item });
    const b = reference.render({ sample, item });
    let pass: boolean;
    switch (op) {
      case 'eq':
        pass = a === b;
        break;
      case 'ne':
        pass = a !== b;
        break;
      case 'like':
        pass = a.includes(b);
        break;
      case 'ilike':
        pass = a.toLowerCase().includes(b.toLowerCase());
        break;
    }
    return { score: pass ? 1 : 0 };
  });
}
