/**
 * ioredis clients for the queue. The coordinator's client retries a lost connection for a while,
 * then ends (its owner stops the run with the address named); a worker's client retries forever,
 * saying so once per outage.
 */
import { Redis } from 'ioredis';
import type { QueueAddress } from './queue-url.js';

/** Retry step between reconnection attempts, in ms. */
const RETRY_STEP_MS = 250;

/** Options of an ioredis client for `address` (BullMQ needs `maxRetriesPerRequest: null`). */
function clientOptions(address: QueueAddress, retryStrategy: (times: number) => number | null) {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username ? { username: address.username } : {}),
    ...(address.password ? { password: address.password } : {}),
    ...(address.tls ? { tls: {} } : {}),
    connectTimeout: 5_000,
    maxRetriesPerRequest: null,
    retryStrategy,
  };
}

/**
 * A client that gives up after about `giveUpMs` without a connection (at start or after a loss):
 * it then emits 'end' and rejects every queued command. Resolves once connected; rejects with the
 * last error text when it gave up first.
 */
export async function connectGivingUp(address: QueueAddress, giveUpMs: number): Promise<{ redis: Redis; lastError: () => string }> {
  let last = 'connection closed';
  const redis = new Redis(clientOptions(address, (times) => (times * RETRY_STEP_MS > giveUpMs ? null : RETRY_STEP_MS)));
  redis.on('error', (error: Error) => {
    last = error.message || String(error);
  });
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      redis.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off('ready', onReady);
      reject(new Error(last));
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
  return { redis, lastError: () => last };
}

/** A client that never gives up; `onState` hears 'lost' (once per outage, with the reason) and 'back'. */
export function connectForever(address: QueueAddress, onState: (state: 'lost' | 'back', reason?: string) => void): Redis {
  let lost = false;
  const redis = new Redis(clientOptions(address, () => 1_000));
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    onState('lost', error.message || String(error));
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    onState('back');
  });
  return redis;
}
