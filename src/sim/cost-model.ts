/**
 * Virtual time of a client's work: compute = samples × epochs × model cost ÷ device speed, with
 * seeded per-(client, round) jitter; communication = latency + bytes ÷ bandwidth. Device speeds are
 * drawn per client (lognormal) from the seed tree, so stragglers follow from the model, not from code.
 */
import { rng } from '../core/seed-streams.js';

/** Relative cost of one training sample-pass per kind of step (milliseconds at speed 1). */
export interface CostModelParams {
  /** Milliseconds per sample per epoch, per step kind (audio, video, av, distill). */
  msPerSample: { audio: number; video: number; av: number; distill: number };
  /** Lognormal sigma of per-client device speed (0 = every client equally fast). */
  deviceSpeedSigma: number;
  /** Lognormal sigma of per-(client, round) compute jitter. */
  jitterSigma: number;
  /** Link bandwidth in bytes per millisecond (both directions). */
  bandwidthBytesPerMs: number;
  /** One-way link latency in milliseconds. */
  latencyMs: number;
  /** Named device classes: a `share` of clients runs at `speed`× nominal; the rest are 'default' (speed 1). */
  deviceClasses?: DeviceClass[];
}

/** A class of devices (e.g. old phones at 0.3×). */
export interface DeviceClass {
  name: string;
  share: number;
  speed: number;
}

/** Defaults: a phone-class device training the small audio model at ~2 ms per sample. */
export const DEFAULT_COST: CostModelParams = {
  msPerSample: { audio: 2, video: 1, av: 3, distill: 4 },
  deviceSpeedSigma: 0,
  jitterSigma: 0.1,
  bandwidthBytesPerMs: 1250, // 10 Mbit/s
  latencyMs: 50,
};

/** The device class of a client: one uniform per client, keyed by id, walked through the class shares. */
export function deviceClassOf(seed: number | string, clientId: string, params: CostModelParams): DeviceClass {
  const classes = params.deviceClasses ?? [];
  let u = rng(seed, 'device-class', clientId).next();
  for (const c of classes) {
    if (u < c.share) return c;
    u -= c.share;
  }
  return { name: 'default', share: 1, speed: 1 };
}

/** A client's relative device speed (1 = nominal): its class's speed times a lognormal draw, from (seed, client). */
export function deviceSpeed(seed: number | string, clientId: string, params: CostModelParams): number {
  const classSpeed = deviceClassOf(seed, clientId, params).speed;
  if (params.deviceSpeedSigma === 0) return classSpeed;
  return classSpeed * Math.exp(params.deviceSpeedSigma * rng(seed, 'device-speed', clientId).normal());
}

/** Compute time in ms of `samplePasses` (samples × epochs) per step kind, for one client and round. */
export function computeMs(
  seed: number | string,
  clientId: string,
  round: number,
  work: Array<{ kind: keyof CostModelParams['msPerSample']; samplePasses: number }>,
  params: CostModelParams,
  slowdown = 1,
): number {
  const nominal = work.reduce((sum, w) => sum + w.samplePasses * params.msPerSample[w.kind], 0);
  const jitter = params.jitterSigma === 0 ? 1 : Math.exp(params.jitterSigma * rng(seed, 'jitter', clientId, round).normal());
  return roundMs((nominal * jitter * slowdown) / deviceSpeed(seed, clientId, params));
}

/** Transfer time in ms of `bytes` over a link, with an extra `delayMs` (link-delay events). */
export function transferMs(bytes: number, params: CostModelParams, delayMs = 0): number {
  return roundMs(params.latencyMs + delayMs + bytes / params.bandwidthBytesPerMs);
}

/** Virtual times are kept to microsecond precision so sums stay exactly reproducible in reports. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
