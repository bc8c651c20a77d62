import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./server";

export interface EntryProcess {
  /** The port the server chose (PORT=0), read from its "listening" log line. */
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * `node build/server/index.js` with exactly `env` (PORT=0 expected), in `cwd`:
 * for tests of how the production entry configures itself (secrets, database
 * users). Resolves once it listens; fails with its output after 20 s.
 */
export async function startEntry(env: NodeJS.ProcessEnv, cwd: string): Promise<EntryProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, "build/server/index.js")], {
    env,
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 20_000);
      child.stdout.on("data", () => {
        const line = output.split("\n").find((l) => l.includes('"msg":"listening"'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      });
    });
    return { port, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
