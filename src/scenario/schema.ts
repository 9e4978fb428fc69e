/**
 * The scenario schema (zod): population, data, algorithm and its parameters, round rules, local
 * training settings, the cost model and a timeline of events. A scenario file default-exports
 * `defineScenario({...})`; the engine validates it here before any training starts.
 */
import { z } from 'zod';
import { STRATEGY_NAMES } from '../strategies/registry.js';
import { timelineEventSchema } from './timeline-schema.js';

const finite = z.number().finite();
const nonNegative = finite.min(0);
const positiveInt = z.number().int().min(1);

/** Where the data comes from. Synthetic fields are validated by the generator itself. */
export const dataSchema = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('synthetic') }),
  z.strictObject({
    kind: z.literal('fedmultimodal'),
    outputDir: z.string().min(1),
    dataset: z.string().min(1),
    alpha: z.union([finite.gt(0), z.string().min(1)]),
    fold: positiveInt,
    missingFile: z.string().min(1).optional(),
    missingRate: finite.min(0).max(1).optional(),
    numClasses: positiveInt.optional(),
    maxAudioFrames: positiveInt.optional(),
    maxVideoFrames: positiveInt.optional(),
    audioFeature: z.string().min(1).optional(),
    videoFeature: z.string().min(1).optional(),
    /** Features read at load (`eager`) or per client on first contact (`lazy`); see docs/performance.md. */
    load: z.enum(['eager', 'lazy']).optional(),
  }),
  z.strictObject({
    // A population declared as a count (fake-trainer engine studies): see src/data/counted-population.ts.
    kind: z.literal('counted'),
    clients: positiveInt.max(100_000_000),
    samplesPerClient: z.strictObject({ min: positiveInt, max: positiveInt }).refine((s) => s.min <= s.max, { message: 'min must not exceed max' }).default({ min: 1, max: 4 }),
    numClasses: z.number().int().min(2).default(2),
    poolSamples: positiveInt.default(1024),
    seed: z.number().int().default(1),
  }),
  z.strictObject({
    kind: z.literal('npy'),
    dir: z.string().min(1),
    numClients: positiveInt.optional(),
    alpha: finite.gt(0).optional(),
    minSamples: z.number().int().min(0).optional(),
    seed: z.union([z.number().int(), z.string().min(1)]).optional(),
    /** Features read at load (`eager`) or per client on first contact (`lazy`); see docs/performance.md. */
    load: z.enum(['eager', 'lazy']).optional(),
  }),
]);

/** Model sizes; frames, dims and class count come from the data. */
export const modelSchema = z.strictObject({
  convChannels: z.array(positiveInt).min(1).optional(),
  kernelSize: positiveInt.optional(),
  audioGruUnits: positiveInt.optional(),
  videoGruUnits: positiveInt.optional(),
  headHidden: positiveInt.optional(),
  dropout: finite.min(0).lt(1).optional(),
  /** FedMultimodal's sequence semantics (default) or a mean over each clip's own steps (see src/model/sequence-masks.ts). */
  pooling: z.enum(['fedmultimodal', 'per-clip']).optional(),
  /** PyTorch's default initialisation (default) or Keras's (Glorot / orthogonal / zero biases). */
  init: z.enum(['pytorch', 'keras']).optional(),
});

/** Local training (FedMultimodal defaults: 1 epoch, batch 16, SGD lr 0.05 momentum 0.9, wd 1e-5, clip 10). */
export const trainingSchema = z.strictObject({
  epochs: positiveInt.default(1),
  batchSize: positiveInt.default(16),
  lr: finite.gt(0).default(0.05),
  momentum: finite.min(0).lt(1).default(0.9),
  weightDecay: nonNegative.default(1e-5),
  clipNorm: nonNegative.default(10),
});

/** Round rules. */
export const roundsSchema = z.strictObject({
  clientsPerRound: finite.gt(0).default(0.1),
  /** A fraction of all clients (capped at the eligible ones) or of the clients eligible in the phase. */
  fractionOf: z.enum(['population', 'eligible']).default('population'),
  overSelection: finite.min(1).default(1),
  deadlineMs: finite.gt(0).nullable().default(null),
  minReplies: z.number().int().min(1).default(1),
});

/** The server's update after averaging: FedAvg, or FedOpt (server SGD with momentum, FedMultimodal's lr 0.025, momentum 0.9). */
export const serverSchema = z.strictObject({
  optimizer: z.enum(['fedavg', 'fedopt']).default('fedavg'),
  lr: finite.gt(0).default(0.025),
  momentum: finite.min(0).lt(1).default(0.9),
  /** The aggregation rule every average goes through (src/strategies/aggregators): FedAvg by default. */
  aggregator: z
    .strictObject({
      name: z.enum(['fedavg', 'median', 'trimmed-mean', 'krum', 'multi-krum', 'norm-clip']).default('fedavg'),
      /** Krum / multi-Krum: attackers assumed. */
      f: z.number().int().min(0).default(1),
      /** Trimmed mean: share trimmed from each side per coordinate. */
      beta: finite.min(0).lt(0.5).default(0.1),
      /** Norm clip: largest distance of an update from the global model. */
      tau: finite.gt(0).default(1),
    })
    .default({ name: 'fedavg', f: 1, beta: 0.1, tau: 1 }),
});

/** Population: device speeds and links (the cost model). */
export const populationSchema = z.strictObject({
  msPerSample: z.strictObject({ audio: nonNegative, video: nonNegative, av: nonNegative, distill: nonNegative }).partial().default({}),
  deviceSpeedSigma: nonNegative.default(0),
  jitterSigma: nonNegative.default(0.1),
  bandwidthBytesPerMs: finite.gt(0).default(1250),
  latencyMs: nonNegative.default(50),
  /** Named device classes: a share of the clients runs `speed`× nominal (drawn per client from the seed). */
  deviceClasses: z.array(z.strictObject({ name: z.string().min(1), share: finite.min(0).max(1), speed: finite.gt(0) })).default([]),
});

/** The algorithm, its rounds and parameters. */
export const algorithmSchema = z.strictObject({
  name: z.enum(STRATEGY_NAMES as [string, ...string[]]),
  /** Total rounds of a single-phase method; per phase for a two-phase one unless `budget` is 'equal'. */
  rounds: positiveInt.default(20),
  /** Explicit rounds per phase (overrides `rounds` for that phase). */
  phaseRounds: z.array(z.number().int().min(0)).optional(),
  /** 'per-phase': each phase gets `rounds`; 'equal': the phases share `rounds`. */
  budget: z.enum(['per-phase', 'equal']).default('per-phase'),
  params: z.record(z.string(), finite).default({}),
});

/** A whole scenario. */
export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  summary: z.string().min(1),
  seed: z.number().int().min(0).default(1),
  data: dataSchema.default({ kind: 'synthetic' }),
  /** Share of clients without video (per client, from the run's seed); null keeps the data's own flags. */
  videoMissingRate: finite.min(0).max(1).nullable().default(0.5),
  model: modelSchema.default({}),
  algorithm: algorithmSchema,
  training: trainingSchema.default(trainingSchema.parse({})),
  rounds: roundsSchema.default(roundsSchema.parse({})),
  server: serverSchema.default(serverSchema.parse({})),
  population: populationSchema.default(populationSchema.parse({})),
  timeline: z
    .array(timelineEventSchema)
    .superRefine((events, ctx) => {
      const seen = new Map<string, number>();
      events.forEach((event, index) => {
        if (event.id === undefined) return;
        const first = seen.get(event.id);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `id already used by timeline.${first}` });
        else seen.set(event.id, index);
      });
    })
    .default([]),
  evalBatchSize: positiveInt.default(64),
});

/** What a scenario file writes (defaults may be left out). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;

/** Typed identity: gives scenario files type checking and completion; validation happens at load. */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
