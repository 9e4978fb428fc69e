/**
 * The `--queue` address: `redis://[user:password@]HOST[:PORT][/DB][?name=QUEUE]` (or `rediss://` for
 * TLS). The queue name defaults to `modality-mirror`, so a coordinator and its workers agree on it
 * without saying more than the Redis address.
 */
import { ConfigError } from '../core/errors.js';

/** Default BullMQ queue name. */
export const DEFAULT_QUEUE_NAME = 'modality-mirror';

/** A parsed queue address. */
export interface QueueAddress {
  /** The address as given (what messages name). */
  url: string;
  /** The address without a password (what is printed). */
  display: string;
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** BullMQ queue name. */
  name: string;
}

/** Parses `text`; a bad address is a ConfigError naming `flag` (exit 2). */
export function parseQueueUrl(text: string, flag = '--queue'): QueueAddress {
  const refuse = (why: string) => new ConfigError('command line', flag, text, `redis://HOST:PORT[/DB][?name=QUEUE] (${why})`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw refuse(`scheme ${url.protocol} is not redis: or rediss:`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw refuse('no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) throw refuse(`database ${JSON.stringify(dbText)} is not a number`);
  const name = url.searchParams.get('name') ?? DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw refuse(`queue name ${JSON.stringify(name)} may hold only letters, digits, '.', '_' and '-'`);
  for (const key of url.searchParams.keys()) if (key !== 'name') throw refuse(`unknown parameter ${JSON.stringify(key)}`);
  const shown = new URL(text);
  if (shown.password) shown.password = '***';
  return {
    url: text,
    display: shown.toString(),
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    tls: url.protocol === 'rediss:',
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    name,
  };
}
