/**
 * Child processes for the bench: pinned to CPUs with `taskset`, logged to a
 * file, and always stopped — by `stopAll()` on the normal path and by the
 * signal handlers in bench/run.ts on Ctrl-C or an error.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

const running = new Set<Child>();

export function tasksetAvailable(): boolean {
  return spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Whether this process may raise its children's priority (checked on itself, then undone). */
export function canRaisePriority(nice: number): boolean {
  if (nice >= 0) return true;
  const before = os.getPriority();
  try {
    os.setPriority(nice);
    os.setPriority(before);
    return true;
  } catch {
    return false;
  }
}

/** Pins a running process, all its threads, to `cpus` (e.g. "1"). */
export function pinProcess(pid: number, cpus: string): boolean {
  return (
    spawnSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" }).status === 0
  );
}

export interface SpawnOptions {
  /** CPU list for `taskset -c`, or null not to pin. */
  cpus: string | null;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Open an IPC channel (the child can process.send() progress). */
  ipc?: boolean;
  /** Scheduling priority (nice value) to set on the child, if permitted; 0 leaves it. */
  nice?: number;
}

export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): Child {
  const log = fs.openSync(options.logFile, "a");
  const [file, argv] =
    options.cpus === null ? [command, args] : ["taskset", ["-c", options.cpus, command, ...args]];
  const child = spawn(file, argv, {
    env: options.env ?? process.env,
    // A session of its own: with autogroup scheduling (Linux's default on desktops and many VMs),
    // nice values only count inside a session, so the child needs one to be given priority.
    // It also keeps a terminal's Ctrl-C away from it: run.ts stops it in order instead.
    detached: true,
    stdio: options.ipc ? ["ignore", log, log, "ipc"] : ["ignore", log, log],
  });
  fs.closeSync(log);
  if (options.nice && child.pid !== undefined) {
    try {
      os.setPriority(child.pid, options.nice);
      // The session's autogroup weighs against other sessions' (see detached above).
      if (fs.existsSync(`/proc/${child.pid}/autogroup`)) {
        fs.writeFileSync(`/proc/${child.pid}/autogroup`, String(options.nice));
      }
    } catch {
      // not permitted (needs root or CAP_SYS_NICE): run at normal priority; run.ts says so
    }
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(entry);
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", (error) => {
      running.delete(entry);
      fs.appendFileSync(options.logFile, `\nspawn failed: ${error.message}\n`);
      resolve("spawn-error");
    });
  });
  const entry: Child = { name, process: child, logFile: options.logFile, exited };
  running.add(entry);
  return entry;
}

export function logTail(child: Child, lines = 20): string {
  try {
    return fs.readFileSync(child.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** SIGTERM, then SIGKILL after `graceMs`, for one child. */
export async function stopChild(child: Child, graceMs = 5000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, graceMs)));
}

/** Last resort from an exit handler (synchronous): kill whatever is left. */
export function killAllNow(): void {
  for (const child of running) child.process.kill("SIGKILL");
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx, the child dies, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${child.name} exited before it answered ${url}:\n${logTail(child)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${child.name} did not answer ${url} within ${timeoutMs / 1000}s:\n${logTail(child)}`,
  );
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by `pid` and its live children (cluster workers); null off Linux. */
export function cpuSeconds(pid: number): number | null {
  try {
    const own = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
    const fields = own.slice(own.lastIndexOf(")") + 2).split(" ");
    let ticks = Number(fields[11]) + Number(fields[12]);
    let children: string[] = [];
    try {
      children = fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      // no children file on this kernel: count the process alone
    }
    for (const childPid of children) {
      const stat = cpuSeconds(Number(childPid));
      if (stat !== null) ticks += stat * TICKS_PER_SECOND;
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

interface Ticks {
  /** user + nice + system */
  task: number;
  /** irq + softirq (e.g. loopback TCP, not charged to any process) */
  irq: number;
  /** time the hypervisor ran something else while this vCPU wanted to run */
  steal: number;
  total: number;
}

/** Tick counters per CPU ("cpu0", "cpu1", …) from /proc/stat; empty off Linux. */
export function cpuTicks(): Map<string, Ticks> {
  const result = new Map<string, Ticks>();
  try {
    for (const line of fs.readFileSync("/proc/stat", "utf8").split("\n")) {
      const match = /^(cpu\d+)\s+(.*)$/.exec(line);
      if (!match) continue;
      // user nice system idle iowait irq softirq steal (guest time is already in user)
      const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2]
        .split(/\s+/)
        .map(Number)
        .concat(0, 0, 0, 0, 0, 0, 0, 0);
      result.set(match[1], {
        task: user + nice + system,
        irq: irq + softirq,
        steal,
        total: user + nice + system + idle + iowait + irq + softirq + steal,
      });
    }
  } catch {
    // not Linux
  }
  return result;
}

export interface CpuShare {
  /** Share of the interval spent running processes (user + system). */
  task: number;
  /** … in interrupts and softirqs. */
  irq: number;
  /** … stolen by the hypervisor. */
  steal: number;
}

/** What each CPU did (shares 0..1) between two cpuTicks() readings. */
export function cpuShares(
  before: Map<string, Ticks>,
  after: Map<string, Ticks>,
): Record<string, CpuShare> {
  const shares: Record<string, CpuShare> = {};
  const r = (n: number) => Math.round(n * 1000) / 1000;
  for (const [cpu, end] of after) {
    const start = before.get(cpu);
    const total = start ? end.total - start.total : 0;
    if (!start || total <= 0) continue;
    shares[cpu] = {
      task: r((end.task - start.task) / total),
      irq: r((end.irq - start.irq) / total),
      steal: r((end.steal - start.steal) / total),
    };
  }
  return shares;
}

/** The environment for a child process: only these basics from ours, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // A clean environment: nothing from the caller's shell (DATABASE_URL, NODE_OPTIONS…) leaks in.
  const keep = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];
  const env: Record<string, string> = {};
  for (const name of keep) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}
