/** The protocol-testing kit: run scenarios in memory with a fake trainer and query their traces. */
export { runInMemory, type InMemoryOptions, type InMemoryRun } from './run-in-memory.js';
export { TraceQuery, simplifyRecord } from './trace-query.js';
export { FaultInjectingTrainer, type FaultOptions } from './fault-injecting-trainer.js';
export { FakeTrainer, type FakeTrainerOptions } from '../train/fake-trainer.js';
export { defineScenario, type ScenarioInput } from '../scenario/schema.js';
export { TrainingFailedError, type RunFailure } from '../engine/run-failure.js';
