/**
 * The buyers of the order-placement measurement: N signed-in shoppers at once,
 * each with its own session, all buying the same book, as its own process so
 * that bench/run.ts can pin it to the load generator's CPU (like load.ts).
 *
 *   node --import tsx bench/orders-load.ts <job.json> <result.json>
 *
 * Each buyer puts one copy of the book in its cart, then loops: GET /checkout
 * (which mints the form's idempotency key), POST /checkout, and after an order
 * puts one copy back in the cart (POST /cart), so it can order again. A buyer
 * stops when the book is sold out to it ("Not enough stock" at checkout, or
 * "sold out" when refilling), when the time is up, or on an answer it does
 * not expect (counted, and reported by run.ts as a failure). At the end it
 * takes the book out of its cart, so the next scenario starts clean.
 *
 * autocannon cannot do this: every request depends on the previous answer.
 */
import fs from "node:fs";
import http from "node:http";
import {
  addToCart,
  checkoutForm,
  idempotencyKeyOf,
  removeFromCart,
  send,
  type Answer,
} from "./shopper";
import { percentiles, round, type Percentiles } from "./stats";

export interface OrdersJob {
  /** Base URL, always http://127.0.0.1:<port>. */
  origin: string;
  /** One `__session=…` cookie per buyer. */
  buyers: string[];
  bookId: number;
  deliveryProviderId: number;
  /** Orders before the window opens: placed (and in the database) but not counted in the rates. */
  warmupSeconds: number;
  /** The window; buyers stop starting new orders when it closes. */
  durationSeconds: number;
}

export interface OrdersResult {
  /** The window's length: to its end, or to when every buyer had stopped if that came first. */
  windowSeconds: number;
  /** Orders placed (302 to /orders/<id>) whose POST ended inside the window. */
  placedInWindow: number;
  ordersPerSec: number;
  /** All orders placed, warm-up and stragglers included: compared with the database. */
  placedTotal: number;
  /** 409 answers to POST /checkout saying "Not enough stock". */
  notEnoughStock: number;
  /** 422 answers to the refill (POST /cart): the stock no longer allows another copy. */
  soldOutOnRefill: number;
  /** Seconds from the start until the book was sold out to every buyer; null if it never was. */
  soldOutAfterSeconds: number | null;
  /** Latency (ms) of what ended inside the window. */
  latencyMs: { checkoutPost: Percentiles; checkoutGet: Percentiles; refill: Percentiles };
  /** Answers no buyer expects, by "METHOD path status": any is a failure. */
  unexpected: Record<string, number>;
  /** CPU time this process used per second of the window (1.0 = its whole core). */
  loadGeneratorCpu: number;
}

type StopReason = "time" | "sold out" | "unexpected";

function rounded(p: Percentiles): Percentiles {
  return {
    count: p.count,
    mean: round(p.mean, 3),
    p50: round(p.p50, 3),
    p95: round(p.p95, 3),
    p99: round(p.p99, 3),
    max: round(p.max, 3),
  };
}

async function main() {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (!jobFile || !resultFile) throw new Error("usage: orders-load.ts <job.json> <result.json>");
  const job = JSON.parse(fs.readFileSync(jobFile, "utf8")) as OrdersJob;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(job.origin))
    throw new Error(`refusing to load ${job.origin}: 127.0.0.1 only`);

  // One keep-alive connection per buyer, as a browser tab would hold.
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.buyers.length });
  const latencies = {
    checkoutPost: [] as number[],
    checkoutGet: [] as number[],
    refill: [] as number[],
  };
  const unexpected: Record<string, number> = {};
  let placedInWindow = 0;
  let placedTotal = 0;
  let notEnoughStock = 0;
  let soldOutOnRefill = 0;

  // Every cart gets its copy before the clock starts.
  await Promise.all(
    job.buyers.map(async (cookie) => {
      const answer = await addToCart(job.origin, cookie, job.bookId, 1, agent);
      if (answer.status !== 302)
        throw new Error(`putting book ${job.bookId} in a buyer's cart answered ${answer.status}`);
    }),
  );

  const started = performance.now();
  const windowOpens = started + job.warmupSeconds * 1000;
  const windowCloses = windowOpens + job.durationSeconds * 1000;
  const inWindow = (at: number) => at >= windowOpens && at < windowCloses;

  // Tell bench/run.ts when the window opens and closes (for its CPU accounting). It closes at
  // its end, or earlier when every buyer has stopped (the book sold out).
  let cpuBefore = process.cpuUsage();
  let cpu: NodeJS.CpuUsage | null = null;
  let windowEnd: number | null = null;
  const openWindow = () => {
    cpuBefore = process.cpuUsage();
    process.send?.("measuring");
  };
  const closeWindow = () => {
    if (windowEnd !== null) return;
    windowEnd = Math.max(windowOpens, Math.min(performance.now(), windowCloses));
    cpu = process.cpuUsage(cpuBefore);
    process.send?.("measured");
  };
  const opening = setTimeout(openWindow, job.warmupSeconds * 1000);
  const closing = setTimeout(closeWindow, (job.warmupSeconds + job.durationSeconds) * 1000);

  const record = (list: number[], answer: Answer) => {
    if (inWindow(performance.now())) list.push(answer.ms);
  };
  const odd = (what: string, answer: Answer): StopReason => {
    const key = `${what} ${answer.status}`;
    unexpected[key] = (unexpected[key] ?? 0) + 1;
    return "unexpected";
  };

  /** One order: GET /checkout, POST /checkout, and the refill after a success. */
  const orderOnce = async (cookie: string): Promise<StopReason | null> => {
    const page = await send(job.origin, "GET", "/checkout", { cookie, agent });
    record(latencies.checkoutGet, page);
    const key = page.status === 200 ? idempotencyKeyOf(page.body) : null;
    if (!key) return odd("GET /checkout", page);

    const post = await send(job.origin, "POST", "/checkout", {
      cookie,
      agent,
      form: checkoutForm(key, job.deliveryProviderId),
    });
    record(latencies.checkoutPost, post);
    if (post.status === 409 && post.body.includes("Not enough stock")) {
      notEnoughStock++;
      return "sold out";
    }
    if (post.status !== 302 || !/^\/orders\/\d+\?placed=1$/.test(post.headers.location ?? ""))
      return odd("POST /checkout", post);
    placedTotal++;
    if (inWindow(performance.now())) placedInWindow++;

    const refill = await addToCart(job.origin, cookie, job.bookId, 1, agent);
    record(latencies.refill, refill);
    if (refill.status === 422) {
      soldOutOnRefill++;
      return "sold out";
    }
    return refill.status === 302 ? null : odd("POST /cart (refill)", refill);
  };

  let running = job.buyers.length;
  let soldOutBuyers = 0;
  let soldOutAt: number | null = null;
  const buyer = async (cookie: string) => {
    let stop: StopReason | null = null;
    while (stop === null) {
      stop = performance.now() >= windowCloses ? "time" : await orderOnce(cookie);
    }
    if (stop === "sold out" && ++soldOutBuyers === job.buyers.length) soldOutAt = performance.now();
    if (--running === 0) closeWindow();
    // Leave the cart empty for the next scenario, whatever happened.
    await removeFromCart(job.origin, cookie, job.bookId, agent);
  };

  await Promise.all(job.buyers.map(buyer));
  clearTimeout(opening);
  clearTimeout(closing);
  agent.destroy();
  const windowSeconds = ((windowEnd ?? windowOpens) - windowOpens) / 1000;
  const used = cpu ?? process.cpuUsage(cpuBefore);

  const result: OrdersResult = {
    windowSeconds: round(windowSeconds, 3),
    placedInWindow,
    ordersPerSec: windowSeconds > 0 ? round(placedInWindow / windowSeconds, 1) : 0,
    placedTotal,
    notEnoughStock,
    soldOutOnRefill,
    soldOutAfterSeconds: soldOutAt === null ? null : round((soldOutAt - started) / 1000, 3),
    latencyMs: {
      checkoutPost: rounded(percentiles(latencies.checkoutPost)),
      checkoutGet: rounded(percentiles(latencies.checkoutGet)),
      refill: rounded(percentiles(latencies.refill)),
    },
    unexpected,
    loadGeneratorCpu:
      windowSeconds > 0 ? round((used.user + used.system) / 1e6 / windowSeconds, 3) : 0,
  };
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
