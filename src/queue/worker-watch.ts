/**
 * Tells the user whether any worker serves the queue: at start, whenever tasks wait and no worker
 * is connected (then again every `noticeMs` while that lasts), and when workers appear. A run with
 * no worker waits, visibly, instead of hanging in silence.
 */
import type { Queue } from 'bullmq';

/** Worker names from BullMQ's client list (`…:w:<name>`). */
function workerNames(clients: Array<Record<string, string>>): string[] {
  return clients.map((c) => {
    const raw = c.rawname ?? '';
    const at = raw.indexOf(':w:');
    return at >= 0 ? raw.slice(at + 3) : '(unnamed)';
  }).sort();
}

/** The notices about connected workers. */
export class WorkerWatch {
  private lastCount: number | null = null;
  private waitingSinceMs: number | null = null;
  private lastNoticeMs = 0;
  private unsupported = false;

  constructor(
    private readonly queue: Queue,
    private readonly display: string,
    private readonly log: (line: string) => void,
    private readonly noticeMs: number,
  ) {}

  /** Checks the workers; `waiting` tasks are queued or running. */
  async check(waiting: number, nowMs: number): Promise<void> {
    if (this.unsupported) return;
    let names: string[];
    try {
      names = workerNames((await this.queue.getWorkers()) as Array<Record<string, string>>);
    } catch (error) {
      this.unsupported = true;
      this.log(`queue ${this.display}: cannot list workers (${error instanceof Error ? error.message : String(error)}); no notices about them`);
      return;
    }
    const count = names.length;
    if (count > 0) {
      if (this.lastCount !== count) this.log(`queue ${this.display}: ${count} worker${count === 1 ? '' : 's'} connected (${names.join(', ')})`);
      this.waitingSinceMs = null;
    } else if (this.lastCount !== 0) {
      this.log(`queue ${this.display}: no worker connected; tasks wait until one connects (start one: modality-mirror worker --queue ${this.display})`);
      this.waitingSinceMs = nowMs;
      this.lastNoticeMs = nowMs;
    } else if (waiting > 0 && nowMs - this.lastNoticeMs >= this.noticeMs) {
      const since = Math.round((nowMs - (this.waitingSinceMs ?? nowMs)) / 1000);
      this.log(`queue ${this.display}: still no worker connected after ${since} s; ${waiting} task${waiting === 1 ? '' : 's'} waiting`);
      this.lastNoticeMs = nowMs;
    }
    this.lastCount = count;
  }
}
