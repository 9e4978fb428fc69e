/**
 * Progress of a whole grid (compare or sweep) on stderr: on a terminal one bar over the cells with
 * an ETA and the cell in progress; elsewhere one line per finished cell, with its score, the time
 * so far and the estimate of what is left (reused cells count as done and are said so).
 * Wall-clock time is what a progress display is for (// wall-clock ok).
 */
import cliProgress from 'cli-progress';

/** Reports cells as they start and finish. */
export interface GridProgress {
  started(label: string): void;
  finished(label: string, score: string, reused: boolean): void;
  stop(): void;
}

const clock = () => performance.now(); // wall-clock ok: display only

/** A progress display for `total` cells. */
export function createGridProgress(total: number): GridProgress {
  const begun = clock();
  let done = 0;
  let computed = 0;
  const eta = () => {
    const perCell = computed > 0 ? (clock() - begun) / computed : NaN;
    const left = (total - done) * perCell;
    return Number.isFinite(left) ? `${Math.round(left / 1000)} s` : '?';
  };
  if (!process.stderr.isTTY) {
    return {
      started() {},
      finished(label, score, reused) {
        done++;
        if (!reused) computed++;
        process.stderr.write(`[${done}/${total}] ${label}: ${score}${reused ? ' (reused)' : ''} | ${Math.round((clock() - begun) / 1000)} s elapsed, ETA ${eta()}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'cells [{bar}] {value}/{total} | ETA {left} | {cell}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { left: '?', cell: '' });
  return {
    started(label) {
      bar.update(done, { left: eta(), cell: label });
    },
    finished(label, score, reused) {
      done++;
      if (!reused) computed++;
      bar.update(done, { left: eta(), cell: `${label}: ${score}${reused ? ' (reused)' : ''}` });
    },
    stop() {
      bar.stop();
    },
  };
}
