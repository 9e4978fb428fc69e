/**
 * A progress bar on stderr: round, virtual time and the latest headline accuracy. Quiet when
 * stderr is not a terminal (CI logs get one line per 10% instead).
 */
import cliProgress from 'cli-progress';

/** Progress reporting for one run. */
export interface Progress {
  update(roundsDone: number, virtualMs: number, accuracy: number | null): void;
  stop(): void;
}

/** A bar for `totalRounds` rounds labelled `label`; with `quietWhenPiped`, nothing at all off a terminal. */
export function createProgress(label: string, totalRounds: number, quietWhenPiped = false): Progress {
  if (!process.stderr.isTTY && quietWhenPiped) return { update() {}, stop() {} };
  if (!process.stderr.isTTY) {
    let lastDecile = -1;
    return {
      update(done, virtualMs, accuracy) {
        const decile = Math.floor((10 * done) / Math.max(1, totalRounds));
        if (decile === lastDecile) return;
        lastDecile = decile;
        process.stderr.write(`${label}: round ${done}/${totalRounds}, t=${(virtualMs / 1000).toFixed(1)}s, accuracy ${accuracy === null ? '-' : accuracy.toFixed(3)}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] round {value}/{total} | t={vt}s | acc={acc}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalRounds, 0, { vt: '0.0', acc: '-' });
  return {
    update(done, virtualMs, accuracy) {
      bar.update(done, { vt: (virtualMs / 1000).toFixed(1), acc: accuracy === null ? '-' : accuracy.toFixed(3) });
    },
    stop() {
      bar.stop();
    },
  };
}
