import type { Redis } from "ioredis";

/** Extends the lock only while we still own it (token match), so an expired lock is never revived. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/**
 * Takes the lock, or confirms we already hold it. Idempotent on purpose: when a connection drops
 * after Redis applied the command but before the reply arrived, ioredis re-sends it on reconnect
 * (`autoResendUnfulfilledCommands`); a plain `SET NX` would then answer "taken" — by ourselves —
 * and every job of the shop would bounce until the orphaned lock's TTL ran out.
 */
const ACQUIRE = `if redis.call("get", KEYS[1]) == ARGV[1] then redis.call("pexpire", KEYS[1], ARGV[2]) return 1 end
if redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2], "NX") then return 1 end
return 0`;
/** Deletes the lock only while we still own it. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface HeldShopLock {
  /** Called once if the lock is lost (expired or taken over) while the job still runs. */
  onLost(listener: () => void): void;
  release(): Promise<void>;
  /** Stops renewing without releasing: the lock lapses after its TTL, as if this process died. */
  abandon(): void;
}

/**
 * Per-shop mutex in Redis: `SET key token NX PX ttl` (idempotent for the same token), renewed every ttl/3 while the job runs and
 * released with a compare-and-delete. A worker that dies stops renewing, so its shop unblocks after
 * at most `ttlMs`. This is what gives BullMQ (which has no per-group concurrency outside BullMQ
 * Pro) a concurrency of one per shop across any number of worker processes.
 */
export class ShopLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs = 30_000,
  ) {}

  key(shop: string) {
    return `${this.keyPrefix}:shop-lock:${shop}`;
  }

  /** The lock, or null when another job of the same shop holds it. */
  async acquire(shop: string, token: string): Promise<HeldShopLock | null> {
    const key = this.key(shop);
    const ok = await this.redis.eval(ACQUIRE, 1, key, token, String(this.ttlMs));
    if (ok !== 1) return null;

    let lost = false;
    let released = false;
    let lastRenewed = Date.now();
    const listeners: Array<() => void> = [];
    const markLost = () => {
      if (lost || released) return;
      lost = true;
      clearInterval(timer);
      for (const listener of listeners) listener();
    };
    const timer = setInterval(
      () => {
        this.redis.eval(RENEW, 1, key, token, String(this.ttlMs)).then(
          (renewed) => {
            if (renewed === 1) lastRenewed = Date.now();
            else markLost();
          },
          // A transient Redis error is not a lost lock yet; it is once the TTL has run out unrenewed.
          () => {
            if (Date.now() - lastRenewed >= this.ttlMs) markLost();
          },
        );
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );
    timer.unref();

    return {
      onLost(listener) {
        if (lost) listener();
        else listeners.push(listener);
      },
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        if (!lost) await this.redis.eval(RELEASE, 1, key, token);
      },
      abandon() {
        released = true;
        clearInterval(timer);
      },
    };
  }
}
