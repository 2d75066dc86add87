// regex (Cherry extra): match (found anywhere), full_match (the whole input) or capture (a group equals the
// rendered reference). The expression is compiled once, when the grader loads. Flags g and y are dropped:
// the mode decides where a match may start and end.
import type { Grader } from '../types';
import type { RegexSpec } from '../spec';
import { Template } from '../template';
import { errorMessage, syncGrader } from './base';
import { GraderSpecError, fieldPath } from './errors';
import type { Fields } from './fields';

export const REGEX_MODES = ['match', 'full_match', 'capture'] as const;

export function validateRegex(f: Fields, name: string): RegexSpec {
  const spec: RegexSpec = { type: 'regex', name, input: f.str('input'), pattern: f.str('pattern'), mode: f.oneOf('mode', REGEX_MODES) };
  const flags = f.optStr('flags');
  if (flags !== undefined) spec.flags = flags;
  const reference = f.optStr('reference');
  const group = f.optRaw('group');
  if (spec.mode === 'capture') {
    if (reference === undefined)
      throw new GraderSpecError(f.at('reference'), 'missing; mode "capture" compares a capture group with "reference"');
    spec.reference = reference;
    if (group !== undefined) {
      if (typeof group === 'string' || (typeof group === 'number' && Number.isInteger(group) && group >= 0)) spec.group = group;
      else throw new GraderSpecError(f.at('group'), `must be a group number (0, 1, 2, ...) or a group name, got ${JSON.stringify(group)}`);
    }
  } else {
    if (reference !== undefined)
      throw new GraderSpecError(f.at('reference'), `only used with mode "capture", not "${spec.mode}"; remove it`);
    if (group !== undefined) throw new GraderSpecError(f.at('group'), `only used with mode "capture", not "${spec.mode}"; remove it`);
  }
  return spec;
}

function compile(source: string, flags: string, path: string, field: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new GraderSpecError(fieldPath(path, field), `not a valid JavaScript regular expression: ${errorMessage(e)}`);
  }
}

export function createRegex(spec: RegexSpec, path: string): Grader {
  const input = Template.parse(spec.input, fieldPath(path, 'input'));
  const flags = (spec.flags ?? '').replace(/[gy]/g, '');
  compile('', flags, path, 'flags');
  const re = compile(spec.pattern, flags, path, 'pattern');
  if (spec.mode === 'match') {
    return syncGrader(spec.name, (sample, item) => ({ score: re.test(input.render({ sample, item })) ? 1 : 0 }));
  }
  if (spec.mode === 'full_match') {
    // Sticky at 0 and followed by the end of input (whatever the m flag says): the whole input must match,
    // with backtracking into alternatives (like Python's re.fullmatch).
    const full = compile(`(?:${spec.pattern})(?![\\s\\S])`, `${flags}y`, path, 'pattern');
    return syncGrader(spec.name, (sample, item) => {
      full.lastIndex = 0;
      return { score: full.test(input.render({ sample, item })) ? 1 : 0 };
    });
  }
  const reference = Template.parse(spec.reference ?? '', fieldPath(path, 'reference'));
  const group = spec.group ?? 1;
  // An empty alternative matches '' and reveals the number of groups and their names.
  const probe = compile(`${spec.pattern}|`, flags, path, 'pattern').exec('');
  const groupCount = probe ? probe.length - 1 : 0;
  const names = probe?.groups ? Object.keys(probe.groups) : [];
  if (typeof group === 'number' && group > groupCount) {
    throw new GraderSpecError(fieldPath(path, 'group'), `group ${group} does not exist: the pattern has ${groupCount} capture group(s)`);
  }
  if (typeof group === 'string' && !names.includes(group)) {
    throw new GraderSpecError(
      fieldPath(path, 'group'),
      `the pattern has no group named "${group}"` +
        (names.length ? ` (named groups: ${names.join(', ')})` : ' (it has no named groups: write (?<name>...))'),
    );
  }
  return syncGrader(spec.name, (sample, item) => {
    const m = re.exec(input.render({ sample, item }));
    const expected = reference.render({ sample, item });
    if (!m) return { score: 0, details: { matched: false, expected } };
    const captured = typeof group === 'number' ? m[group] : m.groups?.[group];
    return { score: captured === expected ? 1 : 0, details: { matched: true, captured: captured ?? null, expected } };
  });
}
