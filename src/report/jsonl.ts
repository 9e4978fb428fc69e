import { ConfigError } from '../core/errors.js';

/**
 * JSON Lines: one compact JSON object per line, `\n` after each. Typed arrays are written as plain
 * arrays; a non-finite number throws (JSON would silently turn it into null), naming the event
 * index and the key of the value.
 */
export function toJsonl(events: readonly unknown[]): string {
  return events.map((e, i) => JSON.stringify(e, replacerFor(i)) + '\n').join('');
}

function replacerFor(index: number): (this: unknown, key: string, value: unknown) => unknown {
  return function (key, value) {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ConfigError('toJsonl', `events[${index}]${key ? `.${key}` : ''}`, String(value), 'finite numbers only');
    }
    return value;
  };
}
