/**
 * `--out` is checked before any data is loaded or any training starts: it must be (or become) a
 * writable directory on a real file system. Paths under /proc, /sys or /dev, or on a pseudo file
 * system (found from the mount table, after resolving symlinks), are refused without writing to
 * them: writes there can hang or do something other than store a file.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** Top-level folders that are never an output folder. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** File system types that do not store files. */
const PSEUDO_TYPES = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'debugfs', 'tracefs', 'securityfs', 'pstore',
  'bpf', 'configfs', 'fusectl', 'mqueue', 'binfmt_misc', 'efivarfs', 'autofs', 'rpc_pipefs', 'nsfs',
]);

const under = (path: string, root: string) => path === root || path.startsWith(root + sep);

/** Mount point and type of the mount holding `path` (Linux only; null elsewhere or when unreadable). */
export function mountOf(path: string): { point: string; type: string } | null {
  let table: string;
  try {
    table = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return null;
  }
  let best: { point: string; type: string } | null = null;
  for (const line of table.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    // Mount points with spaces and the like are octal-escaped in the table.
    const decoded = point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if ((decoded === '/' || under(path, decoded)) && (!best || decoded.length >= best.point.length)) best = { point: decoded, type };
  }
  return best;
}

/**
 * Checks `value` (the `flag`'s value) and creates the directory. Throws a ConfigError naming the
 * flag and the value when it is not usable; returns the absolute path.
 */
export function prepareOutDir(value: string, flag = '--out'): string {
  const refuse = (why: string): never => {
    throw new ConfigError('command line', flag, value, why);
  };
  if (value.trim() === '') refuse('a directory path (it is empty)');
  const path = resolve(value);
  // The path as written first, before touching the file system at all.
  for (const root of PSEUDO_ROOTS) if (under(path, root)) refuse(`a directory on a real file system (${root} is a pseudo file system)`);
  // The nearest part of the path that exists, resolved through symlinks.
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (error) {
    return refuse(`a readable directory path (${(error as Error).message})`);
  }
  const target = resolve(real, relative(existing, path));
  for (const root of PSEUDO_ROOTS) if (under(target, root)) refuse(`a directory on a real file system (${root} is a pseudo file system)`);
  const mount = mountOf(target);
  if (mount && PSEUDO_TYPES.has(mount.type)) refuse(`a directory on a real file system (${mount.point} is a ${mount.type} file system)`);
  const stat = statSync(real);
  if (existing === path && !stat.isDirectory()) refuse('a directory (it is an existing file)');
  if (existing !== path && !stat.isDirectory()) refuse(`a directory path (${existing} is a file, not a directory)`);
  try {
    accessSync(real, constants.W_OK);
  } catch {
    refuse(existing === path ? 'a writable directory (it is not writable)' : `a creatable directory (${existing} is not writable)`);
  }
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    refuse(`a creatable, writable directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return path;
}
