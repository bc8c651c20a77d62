/**
 * docker-compose.yml and the nginx config, parsed (no Docker engine here):
 * MySQL 8.4, two app replicas sharing one uploads volume, nginx in front.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readRepoFile, repoRoot } from "../packer/support";
import { execForm, instructionsOf, parseDockerfile } from "./support";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- compose files are untyped YAML
const compose = parse(readRepoFile("docker-compose.yml")) as Record<string, any>;
const { mysql, app, migrate, lb } = compose.services;
const nginx = readRepoFile("deploy/nginx.conf");

describe("docker-compose.yml", () => {
  it("runs MySQL 8.4 (as production) with a health check and a persistent volume", () => {
    expect(mysql.image).toBe("mysql:8.4");
    expect(mysql.healthcheck.test.join(" ")).toContain("mysqladmin ping");
    expect(mysql.volumes).toContain("mysql-data:/var/lib/mysql");
    expect(mysql.ports).toBeUndefined();
  });

  it("runs two app replicas of the image built here", () => {
    expect(app.deploy.replicas).toBe(2);
    expect(app.build).toBe(".");
    expect(app.image).toBe(migrate.image);
  });

  it("shares the uploads and assets volumes between the replicas, where the app writes", () => {
    const mounts = Object.fromEntries(
      (app.volumes as string[]).map((v) => v.split(":") as [string, string]),
    );
    expect(Object.keys(mounts).sort()).toEqual(["assets", "uploads"]);
    for (const volume of Object.keys(mounts)) expect(compose.volumes).toHaveProperty(volume);
    expect(app.environment.UPLOADS_DIR).toBe(mounts.uploads);
    expect(app.environment.SHARED_ASSETS_DIR).toBe(mounts.assets);
  });

  it("starts the replicas with the image's start command once migrations ran", () => {
    const dockerfile = parseDockerfile(readRepoFile("Dockerfile"));
    const cmd = execForm(instructionsOf(dockerfile.stages.at(-1)!, "CMD")[0]);
    expect(app.command).toEqual(cmd);
    expect(migrate.command).toEqual(["node", "build/server/cli.js", "migrate"]);
    expect(app.depends_on.migrate.condition).toBe("service_completed_successfully");
    expect(migrate.depends_on.mysql.condition).toBe("service_healthy");
  });

  it("points the app at MySQL in production mode and insists on a session secret", () => {
    expect(app.environment.NODE_ENV).toBe("production");
    expect(app.environment.DATABASE_URL).toMatch(/^mysql:\/\/[^@]+@mysql:3306\/bookstore$/);
    expect(app.environment.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
    expect(app.environment.TRUST_PROXY).toBe("1");
  });

  it("puts nginx in front as the only published port", () => {
    expect(lb.image).toMatch(/^nginx:/);
    expect(lb.ports).toEqual(["8080:80"]);
    expect(lb.depends_on.app.condition).toBe("service_healthy");
    expect(app.ports).toBeUndefined();
    const [config] = (lb.volumes as string[])[0].split(":");
    expect(fs.existsSync(path.join(repoRoot, config))).toBe(true);
  });
});

describe("deploy/nginx.conf", () => {
  it("balances over every app replica, re-resolving Docker's DNS", () => {
    expect(nginx).toMatch(/upstream bookstore \{[^}]*server app:3000 resolve/);
    expect(nginx).toMatch(/resolver 127\.0\.0\.11/);
    expect(nginx).toMatch(/proxy_pass http:\/\/bookstore;/);
  });

  it("sets the one X-Forwarded-For hop the app trusts, overwriting what clients send", () => {
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
  });

  it("has balanced braces", () => {
    expect(nginx.split("{").length).toBe(nginx.split("}").length);
  });
});
