// json-extract: turn a short sentence about a person into a JSON object with given keys.
// Prompt "Ann is 34 and lives in Oslo.\njson name,age,city:", answer {"name":"Ann","age":34,"city":"Oslo"}.
// Graded by a `multi` spec: the JSON parses and fits the schema (40%), and each field is right (20% each,
// a regex capture of `"key": value` compared with the item's field).
import type { GraderSpec } from '../graders/spec';
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { intField, strField } from './types';
import type { Split, Task } from './types';

const NAME = 'json-extract';

const NAMES = [
  'Ann',
  'Bo',
  'Cy',
  'Dee',
  'Eli',
  'Fay',
  'Gus',
  'Hal',
  'Ida',
  'Jo',
  'Kai',
  'Liv',
  'Max',
  'Ned',
  'Ola',
  'Pam',
  'Quin',
  'Rex',
  'Sue',
  'Tom',
  'Uma',
  'Vic',
  'Wes',
  'Xia',
  'Yan',
  'Zoe',
  'Ray',
  'Mia',
  'Leo',
  'Eva',
];
const CITIES = [
  'Oslo',
  'Rome',
  'Lima',
  'Kyiv',
  'Baku',
  'Doha',
  'Riga',
  'Bern',
  'Nice',
  'Pune',
  'Cork',
  'Graz',
  'Lyon',
  'Turin',
  'Porto',
  'Quito',
  'Accra',
  'Tunis',
  'Dakar',
  'Hanoi',
  'Seoul',
  'Perth',
  'Miami',
  'Paris',
];
const TEMPLATES: ((n: string, a: number, c: string) => string)[] = [
  (n, a, c) => `${n} is ${a} and lives in ${c}.`,
  (n, a, c) => `${n}, ${a}, is from ${c}.`,
  (n, a, c) => `${c} is home to ${n}, age ${a}.`,
  (n, a, c) => `Age ${a}: ${n} of ${c}.`,
  (n, a, c) => `${n} (${a}) moved to ${c}.`,
];

/** The keys every answer must have, in order. */
export const JSON_EXTRACT_KEYS = ['name', 'age', 'city'] as const;

function make(rng: Rng): Problem {
  const name = rng.pick(NAMES);
  const age = rng.range(18, 89);
  const city = rng.pick(CITIES);
  const sentence = rng.pick(TEMPLATES)(name, age, city);
  const prompt = `${sentence}\njson ${JSON_EXTRACT_KEYS.join(',')}:`;
  const reference_answer = JSON.stringify({ name, age, city });
  return { prompt, item: { prompt, reference_answer, name, age, city } };
}

// Each field is checked on the output text with a regex capture ("key": value equals the item's value),
// not with string_check on {{ sample.output_json.key }}: that template is an error (reward null, the
// sample unscored) when the output is not JSON, and malformed outputs must score 0, not be skipped.
const stringField = (key: string): GraderSpec => ({
  type: 'regex',
  name: key,
  input: '{{ sample.output_text }}',
  pattern: `"${key}"\\s*:\\s*"([^"]*)"`,
  mode: 'capture',
  reference: `{{ item.${key} }}`,
});

/** The default grader: schema 40%, each field 20%. */
export const JSON_EXTRACT_GRADER: GraderSpec = {
  type: 'multi',
  name: 'json-extract',
  graders: {
    schema: {
      type: 'json_schema',
      name: 'schema',
      input: '{{ sample.output_text }}',
      schema: {
        type: 'object',
        properties: { name: { type: 'string' }, age: { type: 'integer' }, city: { type: 'string' } },
        required: ['name', 'age', 'city'],
        additionalProperties: false,
      },
      partial_credit: 'parse',
    },
    name: stringField('name'),
    age: {
      type: 'regex',
      name: 'age',
      input: '{{ sample.output_text }}',
      pattern: '"age"\\s*:\\s*(\\d+)\\s*[,}]',
      mode: 'capture',
      reference: '{{ item.age }}',
    },
    city: stringField('city'),
  },
  calculate_output: '0.4 * schema + 0.2 * name + 0.2 * age + 0.2 * city',
};

export const jsonExtract: Task = {
  name: NAME,
  title: 'JSON extraction: structure and content',
  explanation:
    'Read a short sentence about a person and answer with a JSON object holding their name, age and city. ' +
    'The grader is a "multi" grader built from parts you can reuse: a JSON-schema check (does it parse, are the ' +
    'keys and types right) and one check per field (a regular expression captures the value, which must equal ' +
    'the reference), combined by a formula. Partial answers earn partial ' +
    'reward, so you can watch the model first learn the format and then the content. Open the per-part rewards ' +
    'to see which part is still failing.',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget(item: Item): string {
    return JSON.stringify({ name: strField(NAME, item, 'name'), age: intField(NAME, item, 'age'), city: strField(NAME, item, 'city') });
  },
  defaultGrader: { kind: 'spec', spec: JSON_EXTRACT_GRADER },
  maxNewTokens: 48,
  model: 'cherry-json',
  rl: true,
};
