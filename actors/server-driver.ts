/**
 * The driver seam: how an algorithm's server half meets the clients in virtual time. A driver is
 * the server actor's behaviour plus its starting state. The synchronous round loop (actors/server.ts:
 * sample, send plans, wait for replies, the deadline or the first K, aggregate) is one driver; an
 * asynchronous method brings another (actors/buffered-driver.ts). An algorithm picks its driver by
 * the `driver` field of its registration (see Strategy.driver); the engine asks `driverFor` and
 * never names an algorithm.
 *
 * Every driver keeps the same outer state (below), so the engine's run-failure checks, checkpoints
 * and writers read any driver's records alike; a record is a RoundRecord whatever the driver calls
 * it (a round, a server step).
 */
import type { Behaviour } from '../src/sim/actor-system.js';
import type { PhaseState, Strategy, StrategySettings } from '../src/strategies/strategy.js';
import type { ClientRows } from '../src/data/client-rows.js';
import type { RoundRecord } from './round-record.js';
import type { ModalityChanges } from './eligible-clients.js';
import type { RoundRules } from '../src/protocol/round-rules.js';

export type { RoundRules } from '../src/protocol/round-rules.js';

/** What every driver's state holds, whatever else it keeps: plain data. */
export interface DriverState {
  /** The algorithm's server state. */
  strategy: PhaseState;
  /** Modalities clients announced after the start (the rest are as in the population's rows). */
  changes: ModalityChanges;
  /** One record per round (or server step), in order. */
  rounds: RoundRecord[];
  /** True once the driver has sent `run/end`: no more aggregation will happen. */
  finished: boolean;
}

/** Everything a server driver needs besides its state. */
export interface ServerDeps {
  strategy: Strategy<PhaseState>;
  settings: StrategySettings;
  rules: RoundRules;
  evaluator: string;
  world: string;
  clientActor: (clientId: string) => string;
  /** The population: ids, sample counts and starting modalities, by rank. */
  rows: ClientRows;
}

/** A way of running the server half of an algorithm. */
export interface ServerDriver<S extends DriverState = DriverState> {
  /** The driver's name, as a strategy's `driver` field names it. */
  readonly kind: string;
  /** The server actor's behaviour. */
  behaviour(deps: ServerDeps): Behaviour<S>;
  /** The server's state at the start of a run, around the strategy's initial state. */
  initialState(strategy: PhaseState): S;
  /**
   * Refuses (with a ConfigError naming `source`, the field and the value) round rules or settings
   * this driver cannot apply, before any training; `population` is the number of clients.
   */
  check?(rules: RoundRules, settings: StrategySettings, population: number, source: string): void;
  /** Training tasks per record, for the work estimate (default: the round rules' clients per round). */
  tasksPerRecord?(rules: RoundRules, settings: StrategySettings, population: number): number;
}
