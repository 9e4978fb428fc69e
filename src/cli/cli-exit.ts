/**
 * How a command ends with a given exit code and message, without a stack trace: an interrupted run
 * (130 for SIGINT, 143 for SIGTERM), an output that could not be written (1).
 */

/** Ends the command with `exitCode`; `message` (if any) is printed to stderr as is. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

/** The conventional exit code of a process stopped by `signal` (128 + its number). */
export function signalExitCode(signal: string): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 1;
}

/** `path` as a shell word (quoted when it holds anything but plain path characters). */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
