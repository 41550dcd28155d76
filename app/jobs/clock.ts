/**
 * Time for the in-process queue, injectable so tests drive retries and schedules without waiting.
 * Timers are `unref`ed in the system clock: pending retries or schedules never keep a process
 * alive on their own (shutdown is explicit, via `close()`).
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): () => void;
  setInterval(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  setInterval(fn, ms) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/** A clock that only moves when told to; `advance` fires due timers in time order. */
export class ManualClock implements Clock {
  private time: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(start = 0) {
    this.time = start;
  }

  now() {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number) {
    return this.add({ id: this.nextId++, at: this.time + Math.max(0, ms), fn });
  }

  setInterval(fn: () => void, ms: number) {
    if (!(ms > 0)) throw new Error("interval must be positive");
    return this.add({ id: this.nextId++, at: this.time + ms, every: ms, fn });
  }

  /** Number of pending timers (lets tests assert that close() released everything). */
  get pending() {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number) {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.time = due.at;
      if (due.every) due.at += due.every;
      else this.timers = this.timers.filter((t) => t !== due);
      due.fn();
    }
    this.time = target;
  }

  private add(timer: ManualTimer) {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
}
