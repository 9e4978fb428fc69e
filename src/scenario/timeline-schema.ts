/**
 * Timeline events of a scenario. Each is placed by round (`{ round, offsetMs }`), by phase
 * (`{ phase, offsetMs }`: when that phase's first round opens; 'both' = each phase, 'first' and
 * 'last' = the method's first and last phase, so one scenario serves one- and two-phase methods),
 * by progress (`{ progress, offsetMs }`: the round at that fraction of the method's own rounds,
 * floor(progress × total rounds)), or by virtual time (`{ timeMs }`), and targets given clients, a
 * rate of clients (drawn from the scenario's own stream), or a device class. An optional `id` names
 * an event so `--set` / `--vary` can address its fields (`dropout.target.rate=0.3`).
 */
import { z } from 'zod';

const finite = z.number().finite();

/** When an event happens. */
export const atSchema = z.union([
  z.strictObject({ round: z.number().int().min(0), offsetMs: finite.min(0).default(0) }),
  z.strictObject({ phase: z.union([z.string().min(1), z.literal('both')]), offsetMs: finite.min(0).default(0) }),
  z.strictObject({ progress: finite.min(0).lt(1), offsetMs: finite.min(0).default(0) }),
  z.strictObject({ timeMs: finite.min(0) }),
]);

/** Which clients an event touches. */
export const targetSchema = z.strictObject({
  clients: z.array(z.string()).optional(),
  rate: finite.min(0).max(1).optional(),
  deviceClass: z.string().min(1).optional(),
  /** Restrict a rate to clients that hold video (e.g. "half of the audio-visual clients"). */
  onlyWithVideo: z.boolean().optional(),
});

/** An event id: a name that is not a scenario section, so `<id>.<field>` paths stay unambiguous. */
const eventId = z.string().regex(/^[A-Za-z][\w-]*$/, 'letters, digits, - and _, starting with a letter');

const base = { id: eventId.optional(), at: atSchema, target: targetSchema, reason: z.string().optional() };

/** One scripted event. */
export const timelineEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dropout'), ...base, durationMs: finite.gt(0).optional(), durationRounds: z.number().int().min(1).optional() }),
  z.strictObject({ type: z.literal('rejoin'), ...base }),
  z.strictObject({ type: z.literal('modalityLoss'), ...base, modality: z.enum(['audio', 'video']) }),
  z.strictObject({ type: z.literal('modalityRestore'), ...base, modality: z.enum(['audio', 'video']) }),
  z.strictObject({ type: z.literal('slowdown'), ...base, factor: finite.gt(0) }),
  z.strictObject({ type: z.literal('linkDelay'), ...base, delayMs: finite.min(0) }),
  z.strictObject({ type: z.literal('linkLoss'), ...base, probability: finite.min(0).max(1) }),
  /** Clients whose updates are altered after honest training (src/protocol/misbehave.ts), for good or for a while. */
  z.strictObject({
    type: z.literal('misbehave'),
    ...base,
    kind: z.enum(['sign-flip', 'scale', 'noise', 'nan', 'free-ride', 'label-flip']),
    factor: finite.optional(),
    sigma: finite.gt(0).optional(),
    durationMs: finite.gt(0).optional(),
    durationRounds: z.number().int().min(1).optional(),
  }),
]);

/** A validated timeline event. */
export type TimelineEventSpec = z.output<typeof timelineEventSchema>;
