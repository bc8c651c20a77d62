import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Real servers, real databases, real browsers, terraform: generous but bounded.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Two cores: more workers than that only adds contention.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
