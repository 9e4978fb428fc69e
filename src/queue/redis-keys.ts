/**
 * Names of the Redis keys that hold task payloads and results beside BullMQ's own: one of each per
 * job, written with an expiry (a coordinator that dies leaves nothing for long) and deleted by the
 * coordinator as soon as it has the result.
 */

/** How long a payload or result may sit in Redis unread, in ms (6 hours). */
export const PAYLOAD_TTL_MS = 6 * 60 * 60 * 1000;

/** The prefix of every key this project writes for queue `name`. */
export function keyPrefix(name: string): string {
  return `mm:${name}:`;
}

/** Key of a job's payload. */
export function taskKey(name: string, jobId: string): string {
  return `${keyPrefix(name)}task:${jobId}`;
}

/** Key of a job's result. */
export function resultKey(name: string, jobId: string): string {
  return `${keyPrefix(name)}result:${jobId}`;
}

/** What a job's data holds: where its payload is and where its result goes. */
export interface JobData {
  task: string;
  result: string;
}
