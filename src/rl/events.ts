// What a running Trainer tells its listener: the shapes live in src/schema/events.ts (the page and
// storage read them without the engine); re-exported here for the engine's modules.
export type { EvalRecord, SampleRecord, StepMetrics, StepMetricsRecord, TrainerEvent, TrainerListener } from '../schema/events';
