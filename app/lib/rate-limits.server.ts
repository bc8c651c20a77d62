/**
 * Sign-in, join and password-reset attempts, counted per client IP and per
 * email address in the database (table `rate_limits`), so every instance
 * shares one count. rate-limiter-flexible does the counting, with its MySQL or
 * SQLite store over our knex pool. Email addresses are hashed before they
 * become keys: the table holds no personal data.
 */
import crypto from "node:crypto";
import {
  RateLimiterMySQL,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { dialectOf, type Db } from "./db.server";
import { TooManyRequestsError } from "./domain-errors.server";

export interface Limit {
  /** Attempts allowed per window. */
  points: number;
  /** Window length, in seconds. */
  duration: number;
}

/** What each limit allows. Per IP is generous (offices and phones share addresses); per account is not. */
export const DEFAULT_LIMITS = {
  signInPerIp: { points: 50, duration: 15 * 60 },
  /** Failed sign-ins for one email, from anywhere. */
  signInFailuresPerEmail: { points: 10, duration: 15 * 60 },
  joinPerIp: { points: 10, duration: 60 * 60 },
  /** Joins tried with one email: each answers whether it has an account, so they are few. */
  joinPerEmail: { points: 5, duration: 60 * 60 },
  resetPerIp: { points: 10, duration: 60 * 60 },
  resetPerEmail: { points: 3, duration: 60 * 60 },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof DEFAULT_LIMITS;

export interface RateLimits {
  /** Counts one attempt; throws TooManyRequestsError when the limit is already used up. */
  consume(name: LimitName, key: string): Promise<void>;
  /** Throws TooManyRequestsError when the limit is used up, without counting. */
  check(name: LimitName, key: string): Promise<void>;
  /** Forgets the count (e.g. failed sign-ins once the right password is given). */
  reset(name: LimitName, key: string): Promise<void>;
}

export function createRateLimits(
  db: Db,
  limits: Record<LimitName, Limit> = DEFAULT_LIMITS,
): RateLimits {
  const limiters = new Map<LimitName, Promise<RateLimiterAbstract>>();
  const limiterFor = (name: LimitName) => {
    let limiter = limiters.get(name);
    if (!limiter) {
      limiter = makeLimiter(db, name, limits[name]);
      limiters.set(name, limiter);
      limiter.catch(() => limiters.delete(name));
    }
    return limiter;
  };
  const tooMany = (res: RateLimiterRes) =>
    new TooManyRequestsError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

  return {
    async consume(name, key) {
      if (Math.random() < 0.01) await deleteExpiredRateLimits(db);
      try {
        await (await limiterFor(name)).consume(keyFor(name, key));
      } catch (error) {
        if (error instanceof RateLimiterRes) throw tooMany(error);
        throw error;
      }
    },
    async check(name, key) {
      const res = await (await limiterFor(name)).get(keyFor(name, key));
      if (res && res.consumedPoints >= limits[name].points) throw tooMany(res);
    },
    async reset(name, key) {
      await (await limiterFor(name)).delete(keyFor(name, key));
    },
  };
}

function keyFor(name: LimitName, key: string): string {
  const normalized = key.trim().toLowerCase();
  // Emails are hashed; IPs are short and not secret.
  return /Email$/.test(name)
    ? crypto.createHash("sha256").update(normalized).digest("hex")
    : normalized.slice(0, 100);
}

async function makeLimiter(db: Db, name: LimitName, limit: Limit): Promise<RateLimiterAbstract> {
  // The table comes from our migrations (tableCreated); old rows are cleared below.
  const common = {
    storeClient: db,
    storeType: "knex",
    tableName: "rate_limits",
    tableCreated: true,
    keyPrefix: name,
    points: limit.points,
    duration: limit.duration,
    clearExpiredByTimeout: false,
  };
  if (dialectOf(db) === "mysql") {
    // The MySQL store names its table with the database, which we may only know at run time.
    const [rows] = (await db.raw("SELECT DATABASE() AS name")) as [Array<{ name: string }>];
    return new RateLimiterMySQL({ ...common, dbName: rows[0].name });
  }
  return new RateLimiterSQLite(common);
}

/** Expired counts are removed now and then by whoever writes; no cron needed. */
export async function deleteExpiredRateLimits(db: Db): Promise<void> {
  await db("rate_limits").where("expire", "<", Date.now()).delete();
}
