/**
 * modality-mirror as a library: define a scenario, run it (or a grid of them) and read the
 * results. The protocol-testing kit (runInMemory, TraceQuery, FakeTrainer) is `modality-mirror/testing`.
 */
export { defineScenario, scenarioSchema, type Scenario, type ScenarioInput } from './scenario/schema.js';
export { validateScenario } from './scenario/load-scenario.js';
export { loadScenarioFile } from './cli/load-scenario-module.js';
export { applyOverrides } from './scenario/overrides.js';
export { runScenario, type RunScenarioOptions } from './engine/run-scenario.js';
export { runSimulation, ACTORS, type RunObserver, type RunOptions, type RunResult } from './engine/run-simulation.js';
export { runGrid, GridCellFailedError, type GridCell, type GridRun, type GridSpec } from './engine/run-grid.js';
export { buildRunConfig, modelConfigFor, phaseRounds, FEDMULTIMODAL_MODEL } from './engine/build-run-config.js';
export { loadScenarioData, withVideoMissingRate } from './scenario/prepare-dataset.js';
export { createTrainer, BACKENDS, type TrainerChoice } from './engine/create-trainer.js';
export type { RunConfig } from './engine/run-config.js';
export { selectFinalScores, type FinalScore, type ScoredRound } from './engine/final-scores.js';
export { TrainingFailedError, type RunFailure } from './engine/run-failure.js';
export { writeRunFolder, startRunFolder } from './cli/write-run-folder.js';
export { CheckpointStore, readCheckpoint, type LoadedCheckpoint } from './engine/checkpoint-store.js';
export type { RunState, RunCheckpoint, CheckpointSink } from './engine/run-state.js';
export { OutputWriteError } from './engine/atomic-write.js';
export { estimateWork, checkWork, type WorkEstimate } from './engine/estimate-work.js';
export { buildRunSummary } from './report/run-summary.js';
export { STRATEGIES, STRATEGY_NAMES, OBJECTIVES } from './strategies/registry.js';
export type { Strategy, StrategySettings, PhaseState, ClientView, UpdateReply } from './strategies/strategy.js';
export type { Objective, LocalStep, LossContext, LossOps, LossTensor, ParamRule } from './protocol/local-step.js';
export { ConfigError, DataError, InvariantError } from './core/errors.js';
export { RunCrashError } from './sim/scheduler.js';
export { FakeTrainer, type FakeTrainerOptions } from './train/fake-trainer.js';
export type { ModelConfig, ModelKind } from './model/model-config.js';
export type { Trainer, TrainTask, TrainResult, EvalTask, EvalResult, TrainHyper } from './protocol/trainer.js';
export type { RoundRecord, ClientOutcome } from '../actors/round-record.js';
export type { EvalRecord, ModelScores } from '../actors/evaluator.js';
export type { RoundRules } from './protocol/round-rules.js';
export type { BackendName } from './model/backend.js';
export type { LoadedDataset, FeatureStore } from './data/types.js';
export type { TraceRecord } from './sim/trace.js';
