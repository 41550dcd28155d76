import type { JobEvents } from "./types";

type Listener<E extends keyof JobEvents> = (payload: JobEvents[E]) => void;

/**
 * A tiny typed event hub. A throwing listener is reported and ignored: observers (logging,
 * metrics, tests) must never change a job's outcome.
 */
export class JobEventHub {
  private listeners: { [E in keyof JobEvents]: Set<Listener<E>> } = {
    completed: new Set(),
    failed: new Set(),
    dead: new Set(),
  };

  on<E extends keyof JobEvents>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners[event] as Set<Listener<E>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends keyof JobEvents>(event: E, payload: JobEvents[E]): void {
    for (const listener of this.listeners[event] as Set<Listener<E>>) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`jobs: ${event} listener failed`, error);
      }
    }
  }
}
