// Changing hyperparameters between steps of a running run (the protocol's `setHyperparameter`).
// Most fields take effect at the next step; a few define the run itself and are frozen.
import { resolveConfig, ConfigError, type RLConfig } from './config';

/** Fields that cannot change once a run has started, with the reason shown to the user. */
export const FROZEN_FIELDS: Partial<Record<keyof RLConfig, string>> = {
  algo: 'the algorithm defines the run',
  seed: 'the seed defines the run',
};

/**
 * The config after `patch`, validated like a new config. Throws ConfigError for a frozen field, or
 * for beta > 0 when the run keeps no reference model (it started with beta = 0).
 */
export function updateConfig(current: RLConfig, patch: Partial<RLConfig> | Record<string, unknown>, hasReference: boolean): RLConfig {
  for (const [k, v] of Object.entries(patch)) {
    const why = FROZEN_FIELDS[k as keyof RLConfig]; // unknown keys are rejected by resolveConfig below
    if (why && v !== current[k as keyof RLConfig]) { // same key, read for comparison only
      throw new ConfigError(k, v, `unchanged during a run (${why}); start a new run to change it`);
    }
  }
  const next = resolveConfig({ ...current, ...patch });
  if (next.beta > 0 && !hasReference) {
    throw new ConfigError('beta', next.beta, '0 in this run, which started with beta = 0 and so keeps no reference model; start a new run with beta > 0');
  }
  return next;
}
