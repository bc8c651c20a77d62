import type { EnvironmentConfig } from "../config.js";
import { production } from "./production.js";
import { staging } from "./staging.js";

/** Every environment `cdktf synth` builds, by name. Add a file and list it here. */
export const environments: Readonly<Record<string, EnvironmentConfig>> = { production, staging };
