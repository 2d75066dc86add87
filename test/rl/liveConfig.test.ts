import { test, expect } from 'vitest';
import { resolveConfig, ConfigError } from '../../src/rl/config';
import { updateConfig } from '../../src/rl/liveConfig';

test('a live change is validated and takes effect; other fields stay', () => {
  const c = resolveConfig({ algo: 'dapo', learning_rate: 1e-4 });
  const n = updateConfig(c, { learning_rate: 3e-4, temperature: 0.7 }, false);
  expect(n).toEqual({ ...c, learning_rate: 3e-4, temperature: 0.7 });
  expect(n.epsilon_high).toBe(0.28); // the preset value survives, it is not re-derived
  expect(() => updateConfig(c, { learning_rate: -1 }, false)).toThrow(/'learning_rate' = -1/);
  expect(() => updateConfig(c, { temprature: 1 }, false)).toThrow(/did you mean .temperature./);
});

test('frozen fields and beta without a reference are refused with a way out', () => {
  const c = resolveConfig({ seed: 3 });
  expect(() => updateConfig(c, { seed: 4 }, false)).toThrow(/start a new run/);
  expect(() => updateConfig(c, { algo: 'rloo' }, false)).toThrow(ConfigError);
  expect(updateConfig(c, { seed: 3 }, false).seed).toBe(3); // not a change
  expect(() => updateConfig(c, { beta: 0.04 }, false)).toThrow(/keeps no reference model/);
  expect(updateConfig(resolveConfig({ beta: 0.04 }), { beta: 0.1 }, true).beta).toBe(0.1);
});
