/**
 * A rough upper estimate of what a run asks of the machine, to refuse absurd requests before any
 * work (`--set epochs=1e9`, a model of billions of weights): training and evaluation arithmetic
 * from the model's layer sizes, and the memory of one worker's model and training batch. The
 * estimate counts every selected client training every model of the method each round; it errs
 * high, and the bounds are far above any run this engine is meant for.
 */
import { ConfigError } from '../core/errors.js';
import { populationCounts, populationOf } from '../data/client-rows.js';
import type { ModelConfig } from '../model/model-config.js';
import type { RunConfig } from './run-config.js';
import { driverFor } from '../../actors/drivers.js';

/** Most arithmetic a run may ask for without `force` (about a day at 100 GFLOP/s). */
export const MAX_RUN_FLOP = 1e16;
/** Most memory one worker's model and training batch may need without `force` (wasm's heap is 4 GiB). */
export const MAX_WORKER_BYTES = 3 * 2 ** 30;

/** What a run is estimated to need. */
export interface WorkEstimate {
  /** Floating-point operations of all training and evaluation. */
  flop: number;
  /** Weights of every model (audio, video and fusion). */
  parameters: number;
  /** Bytes one worker needs: weights, gradients and momentum, plus one training batch's activations. */
  workerBytes: number;
  /** The factors of `flop`, for the message. */
  factors: { rounds: number; clientsPerRound: number; samplesPerClient: number; epochs: number; flopPerSample: number };
}

/** Forward multiply-adds ×2 and weights of the audio and video encoders and the heads, per sample. */
function modelCost(m: ModelConfig): { flop: number; parameters: number; activations: number } {
  let flop = 0;
  let parameters = 0;
  let activations = 0;
  let frames = m.audio.frames;
  let channels = m.audio.dims;
  for (const out of m.audio.convChannels) {
    flop += 2 * frames * channels * out * m.audio.kernelSize;
    parameters += channels * out * m.audio.kernelSize + out;
    activations += frames * out;
    frames = Math.max(1, Math.floor(frames / 2));
    channels = out;
  }
  const gru = (steps: number, input: number, units: number) => {
    flop += 2 * steps * 3 * (input * units + units * units);
    parameters += 3 * (input * units + units * units + 2 * units);
    activations += steps * 4 * units;
  };
  gru(frames, channels, m.audio.gruUnits);
  gru(m.video.frames, m.video.dims, m.video.gruUnits);
  for (const input of [m.audio.gruUnits, m.video.gruUnits, m.audio.gruUnits + m.video.gruUnits]) {
    flop += 2 * (input * m.headHidden + m.headHidden * m.numClasses);
    parameters += input * m.headHidden + m.headHidden * m.numClasses + m.headHidden + m.numClasses;
  }
  return { flop, parameters, activations };
}

/** The estimate for one run. */
export function estimateWork(config: RunConfig): WorkEstimate {
  const { split } = config.dataset;
  const cost = modelCost(config.model);
  const rounds = config.settings.rounds.reduce((a, b) => a + b, 0);
  const rows = populationOf(config.dataset);
  const population = rows.size;
  const perRound = config.rules.clientsPerRound <= 1 ? Math.ceil(config.rules.clientsPerRound * population) : config.rules.clientsPerRound;
  // A driver of its own (FedBuff's) says how many tasks one of its records takes.
  const tasksPerRecord = driverFor(config.strategy).tasksPerRecord?.(config.rules, config.settings, population);
  const clientsPerRound = tasksPerRecord ?? Math.min(population, Math.ceil(Math.max(1, perRound) * config.rules.overSelection));
  const samplesPerClient = population > 0 ? populationCounts(rows).trainSamples / population : 0;
  const { epochs, batchSize } = config.settings.hyper;
  // Training: forward + backward ≈ 3 × forward, every model (and a distillation teacher) on every sample.
  const flopPerSample = 3 * 2 * cost.flop;
  const evalFlop = rounds * 3 * (split.dev.length + split.test.length) * cost.flop;
  const flop = rounds * clientsPerRound * samplesPerClient * epochs * flopPerSample + evalFlop;
  const batch = Math.min(batchSize, Math.max(1, Math.ceil(samplesPerClient)));
  const workerBytes = 4 * (4 * cost.parameters + 3 * Math.max(batch, config.evalBatchSize) * cost.activations);
  return { flop, parameters: cost.parameters, workerBytes, factors: { rounds, clientsPerRound, samplesPerClient, epochs, flopPerSample } };
}

const short = (n: number) => (n >= 1e4 || (n > 0 && n < 1e-2) ? n.toExponential(2) : String(Math.round(n * 100) / 100));

/** Throws a ConfigError (naming `source`, the estimate and its factors) when a run exceeds a bound. */
export function checkWork(config: RunConfig, source: string): WorkEstimate {
  const estimate = estimateWork(config);
  const f = estimate.factors;
  if (!(estimate.flop <= MAX_RUN_FLOP)) {
    const why = `${f.rounds} rounds × ${f.clientsPerRound} clients × ${short(f.samplesPerClient)} samples × ${short(f.epochs)} epochs × ${short(f.flopPerSample)} FLOP per sample`;
    throw new ConfigError(source, 'estimated work', `${short(estimate.flop)} FLOP`, `at most ${short(MAX_RUN_FLOP)} FLOP (about a day at 100 GFLOP/s); this run asks for ${why}; lower rounds, epochs, clients or the model's size, or pass --force`);
  }
  if (!(estimate.workerBytes <= MAX_WORKER_BYTES)) {
    throw new ConfigError(source, 'estimated memory per worker', `${short(estimate.workerBytes / 2 ** 30)} GiB`, `at most ${MAX_WORKER_BYTES / 2 ** 30} GiB (${short(estimate.parameters)} weights, batch ${config.settings.hyper.batchSize}); lower the model's size or the batch, or pass --force`);
  }
  return estimate;
}
