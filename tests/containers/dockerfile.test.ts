/**
 * The Dockerfile and .dockerignore, read as text (no Docker engine here):
 * multi-stage, non-root, production dependencies only, a health check, proper
 * signal handling and the same start command as the AMI's systemd unit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { packerVariableDefault, parseUnitFile, readRepoFile } from "../packer/support";
import { execForm, instructionsOf, parseDockerfile, type Dockerfile, type Stage } from "./support";

const dockerfile: Dockerfile = parseDockerfile(readRepoFile("Dockerfile"));
const runtime: Stage = dockerfile.stages.at(-1)!;
let imageNodeMajor: unknown;

beforeAll(async () => {
  imageNodeMajor = await packerVariableDefault("node_major");
});

describe("Dockerfile", () => {
  it("builds in stages: dependencies, build, production dependencies, runtime", () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual([
      "deps",
      "build",
      "production-deps",
      "runtime",
    ]);
  });

  it("runs on the slim image of the same Node.js LTS line as the AMI", () => {
    expect(runtime.from).toBe("node:${NODE_VERSION}-slim");
    expect(Number(dockerfile.args.NODE_VERSION)).toBe(imageNodeMajor);
  });

  it("installs only production dependencies into the runtime image", () => {
    const prodDeps = dockerfile.stages.find((s) => s.name === "production-deps")!;
    expect(instructionsOf(prodDeps, "RUN").join(" ")).toContain("npm ci --omit=dev");
    const copies = instructionsOf(runtime, "COPY");
    expect(copies).toContain("--from=production-deps /app/node_modules ./node_modules");
    expect(copies).toContain("--from=build /app/build ./build");
    expect(copies).toContain("--from=build /app/public ./public");
    expect(copies.some((c) => c.includes("--from=deps"))).toBe(false);
  });

  it("runs as a non-root user with the same uid as on the AMI", () => {
    const user = instructionsOf(runtime, "USER").at(-1);
    expect(user).toBe("bookstore:bookstore");
    expect(instructionsOf(runtime, "RUN").join(" ")).toMatch(/useradd --system --uid 10001/);
  });

  it("checks /healthz", () => {
    const [healthcheck] = instructionsOf(runtime, "HEALTHCHECK");
    expect(healthcheck).toMatch(/--interval=\d+s/);
    expect(execForm(healthcheck).join(" ")).toContain("/healthz");
  });

  it("forwards signals through tini so SIGTERM drains the server", () => {
    expect(execForm(instructionsOf(runtime, "ENTRYPOINT")[0])).toEqual(["/usr/bin/tini", "--"]);
  });

  it("starts with the same command as the AMI's systemd unit", () => {
    const unit = parseUnitFile(readRepoFile("packer/files/bookstore.service"));
    const unitCommand = unit.Service.ExecStart[0].replace(/^\/usr\/bin\//, "").split(" ");
    expect(execForm(instructionsOf(runtime, "CMD")[0])).toEqual(unitCommand);
  });

  it("declares production mode and the port", () => {
    expect(instructionsOf(runtime, "ENV").join(" ")).toMatch(/NODE_ENV=production/);
    expect(instructionsOf(runtime, "EXPOSE")).toEqual(["3000"]);
  });
});

describe(".dockerignore", () => {
  const ignored = readRepoFile(".dockerignore")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"));

  it("keeps secrets, dependencies and build output out of the context", () => {
    expect(ignored).toEqual(
      expect.arrayContaining([
        ".git",
        "node_modules",
        "build",
        "public/build",
        "dist",
        ".env",
        "var",
      ]),
    );
  });

  it("keeps what the build needs", () => {
    for (const needed of ["app", "server", "db", "public", "package.json", "package-lock.json"]) {
      expect(ignored).not.toContain(needed);
    }
  });
});
