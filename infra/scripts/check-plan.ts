/**
 * Usage: tsx scripts/check-plan.ts <foundation|app> <plan.json>
 * Fails unless the plan only creates (nothing changed or destroyed) and
 * creates every expected resource type.
 */
import { readFileSync } from "node:fs";
import { EXPECTED_TYPES, type PlanJson, summarizePlan } from "../lib/plan-check.js";

const [kind, file] = process.argv.slice(2);
if (!(kind in EXPECTED_TYPES) || !file) {
  console.error("usage: check-plan.ts <foundation|app> <plan.json>");
  process.exit(2);
}
const summary = summarizePlan(
  JSON.parse(readFileSync(file, "utf8")) as PlanJson,
  kind as keyof typeof EXPECTED_TYPES,
);
const total = Object.values(summary.creates).reduce((a, b) => a + b, 0);
let ok = true;
if (summary.unexpected.length > 0) {
  ok = false;
  console.error(`  plan does more than create:\n    ${summary.unexpected.join("\n    ")}`);
}
if (summary.missingTypes.length > 0) {
  ok = false;
  console.error(`  plan lacks expected resources: ${summary.missingTypes.join(", ")}`);
}
console.log(`  ${ok ? "ok" : "FAILED"}: ${total} resources to create, 0 to change, 0 to destroy`);
process.exit(ok ? 0 : 1);
