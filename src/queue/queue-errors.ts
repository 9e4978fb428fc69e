/**
 * Errors of the task queue. Their stack is their one-line message: the coordinator's call stack says
 * nothing about a remote worker or an unreachable Redis, and the command line prints the line as is.
 */

/** Redis could not be reached (at start) or went away for good (mid-run): the run stops, exit 1. */
export class QueueUnavailableError extends Error {
  constructor(
    /** The queue address as printed (no password). */
    readonly queue: string,
    /** What the Redis client said last. */
    readonly cause_: string,
    when: 'start' | 'run',
  ) {
    super(`queue ${queue}: Redis is unreachable (${cause_}); ${when === 'start' ? 'no run started' : 'the run stopped'}`);
    this.name = 'QueueUnavailableError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A task the queue gave back as failed (the worker's reason) or whose result was refused. */
export class QueueTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueTaskError';
    this.stack = `${this.name}: ${this.message}`;
  }
}
