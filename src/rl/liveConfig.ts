// Changing hyperparameters between steps of a running run (the protocol's `setHyperparameter`).
// Most fields take effect at the next step; those whose row in src/schema/settings.ts is `frozen`
// define the run itself. The rule lives with the table (src/schema/rlConfig.ts).
export { FROZEN_FIELDS, updateConfig } from '../schema/rlConfig';
