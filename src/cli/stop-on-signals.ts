/**
 * SIGINT and SIGTERM during a run: the first asks the run to stop after the current event (it
 * then writes a checkpoint and a partial summary, and says how to resume); a second one leaves at
 * once, showing the terminal's cursor again (the progress bar hides it) — the last checkpoint
 * written stays usable.
 */
import { signalExitCode } from './cli-exit.js';

/** The signals handled, and how to stop listening. */
export interface SignalStop {
  /** Aborted (with the signal's name as reason) at the first signal. */
  signal: AbortSignal;
  /** The first signal received, or null. */
  received(): string | null;
  /** Removes the handlers (Node's default behaviour returns). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handlers; `restoreTerminal` is called before a second signal exits. */
export function stopOnSignals(restoreTerminal: () => void): SignalStop {
  const controller = new AbortController();
  let first: string | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first !== null) {
      restoreTerminal();
      process.stderr.write(`\n${signal} again: leaving now; the last checkpoint written is kept\n`);
      process.exit(signalExitCode(signal));
    }
    first = signal;
    process.stderr.write(`\n${signal}: stopping after the current event and writing a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C' : 'send it'} again to leave at once)\n`);
    controller.abort(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
