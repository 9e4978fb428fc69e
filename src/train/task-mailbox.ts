/**
 * A task's mailbox: a small shared buffer a pool worker writes its error into before it leaves
 * (a worker whose task failed exits at once, so it never serves another task; the error then reaches
 * the main thread only this way, since piscina reports the exit, not the error).
 */

const BYTES = 4096;

/** A fresh, empty mailbox: [length, …utf-8 bytes]. */
export function createMailbox(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 + BYTES));
}

/** Worker side: writes `text` (cut to the mailbox's size) into the mailbox. */
export function postToMailbox(mailbox: Int32Array, text: string): void {
  const bytes = new Uint8Array(mailbox.buffer, 4, BYTES);
  const { written } = new TextEncoder().encodeInto(text, bytes);
  Atomics.store(mailbox, 0, written);
}

/** Main side: the text in the mailbox, or null when the worker wrote none. */
export function readMailbox(mailbox: Int32Array): string | null {
  const length = Atomics.load(mailbox, 0);
  if (length === 0) return null;
  return new TextDecoder().decode(new Uint8Array(mailbox.buffer, 4, length).slice());
}
