/**
 * Every server driver by kind, and the one an algorithm runs under: its registration's `driver`
 * field, or the synchronous round loop when it names none. Adding a driver is one file plus one line.
 */
import type { PhaseState, Strategy } from '../src/strategies/strategy.js';
import { InvariantError } from '../src/core/errors.js';
import { roundsDriver } from './server.js';
import { bufferedDriver } from './buffered-driver.js';
import type { DriverState, ServerDriver } from './server-driver.js';

/** Registered drivers by kind. */
export const DRIVERS: Record<string, ServerDriver<DriverState>> = {
  rounds: roundsDriver as unknown as ServerDriver<DriverState>,
  buffered: bufferedDriver as unknown as ServerDriver<DriverState>,
};

/** The driver `strategy` asks for (the round loop by default). */
export function driverFor(strategy: Strategy<PhaseState>): ServerDriver<DriverState> {
  const kind = strategy.driver ?? 'rounds';
  const driver = DRIVERS[kind];
  if (!driver) throw new InvariantError(`strategy ${strategy.name} asks for an unknown driver`, { driver: kind, known: Object.keys(DRIVERS).join(', ') });
  return driver;
}
