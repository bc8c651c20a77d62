/**
 * The load generator: one autocannon run (a warm-up, then the measurement)
 * against one target, as its own process so that bench/run.ts can pin it to a
 * CPU of its own (`taskset -c 1`), away from the server under test (CPU 0).
 *
 *   node --import tsx bench/load.ts <job.json> <result.json>
 *
 * Latency percentiles are computed here from every response's own timing
 * (sub-millisecond, from autocannon's `response` event), because autocannon's
 * histogram rounds to whole milliseconds, too coarse for the baselines.
 */
import fs from "node:fs";
import autocannon from "autocannon";
import { percentiles, round } from "./stats";

export interface LoadJob {
  /** Base URL, always http://127.0.0.1:<port>. */
  origin: string;
  /** Paths requested in turn (one path: every request asks for it). */
  paths: string[];
  /** Extra headers on every request, e.g. a signed-in shopper's session cookie. */
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /**
   * The status every answer should have, when it is not a 2xx: 304 for the
   * revalidation target (If-None-Match in `headers`). Latency percentiles are
   * of these answers.
   */
  expectStatus?: number;
}

export interface LoadResult {
  reqPerSec: number;
  requests: number;
  durationSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  /** autocannon's own figures (whole-millisecond latency histogram), for reference. */
  autocannon: {
    reqPerSecMean: number;
    latencyP50: number;
    latencyP99: number;
    throughputBytesPerSec: number;
  };
  bytesPerResponse: number;
  non2xx: number;
  /** Responses by status code ("200", "503", …); timeouts and errors are not responses. */
  statuses: Record<string, number>;
  /** Latency of every response, refusals (503) included; latencyMs above is the 2xx only. */
  latencyAllMs: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  /** CPU time this process used per second of measurement (1.0 = its whole core). */
  loadGeneratorCpu: number;
}

function run(
  job: LoadJob,
  durationSeconds: number,
  onResponse?: (status: number, ms: number) => void,
) {
  let turn = 0;
  const options: autocannon.Options = {
    url: `${job.origin}${job.paths[0]}`,
    connections: job.connections,
    duration: durationSeconds,
    pipelining: 1,
    // The load generator must not look like a browser asking for gzip: the
    // baselines serve the uncompressed bytes, so the app must as well.
    headers: { accept: "text/html", ...job.headers },
  };
  if (job.paths.length > 1) {
    options.requests = [
      {
        method: "GET",
        setupRequest: (request) => ({ ...request, path: job.paths[turn++ % job.paths.length] }),
      },
    ];
  }
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    if (onResponse) {
      instance.on("response", (_client, statusCode, _bytes, responseTime) =>
        onResponse(statusCode, responseTime),
      );
    }
  });
}

async function main() {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (!jobFile || !resultFile) throw new Error("usage: load.ts <job.json> <result.json>");
  const job = JSON.parse(fs.readFileSync(jobFile, "utf8")) as LoadJob;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(job.origin))
    throw new Error(`refusing to load ${job.origin}: 127.0.0.1 only`);

  if (job.warmupSeconds > 0) await run(job, job.warmupSeconds);

  // Tell bench/run.ts the measured part starts now and ends when we exit (for its CPU accounting).
  process.send?.("measuring");
  const latencies: number[] = [];
  const allLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run(job, job.durationSeconds, (status, ms) => {
    if (job.expectStatus ? status === job.expectStatus : status >= 200 && status < 300)
      latencies.push(ms);
    allLatencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const elapsed = (performance.now() - started) / 1000;
  process.send?.("measured");
  const cpu = process.cpuUsage(cpuBefore);
  const latency = percentiles(latencies);
  const latencyAll = percentiles(allLatencies);
  const requests = result.requests.total;

  const output: LoadResult = {
    reqPerSec: round(requests / result.duration, 1),
    requests,
    durationSeconds: result.duration,
    latencyMs: {
      p50: round(latency.p50, 3),
      p95: round(latency.p95, 3),
      p99: round(latency.p99, 3),
      mean: round(latency.mean, 3),
      max: round(latency.max, 3),
    },
    autocannon: {
      reqPerSecMean: result.requests.mean,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      throughputBytesPerSec: result.throughput.mean,
    },
    bytesPerResponse: requests > 0 ? Math.round(result.throughput.total / requests) : 0,
    non2xx: result.non2xx,
    statuses,
    latencyAllMs: {
      p50: round(latencyAll.p50, 3),
      p99: round(latencyAll.p99, 3),
      max: round(latencyAll.max, 3),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    loadGeneratorCpu: round((cpu.user + cpu.system) / 1e6 / elapsed, 3),
  };
  fs.writeFileSync(resultFile, JSON.stringify(output));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
