/**
 * The database connection budget (docs/decisions/032-connection-budget.md).
 *
 * Every app instance runs WEB_CONCURRENCY workers, each with a knex pool of at
 * most DB_POOL_MAX connections (the cluster primary holds none; `cli.js migrate`
 * runs before the workers start and uses at most two). An instance refresh
 * launches the new instances before terminating the old ones
 * (max_healthy_percentage 200), so for a while the fleet can be twice its
 * maximum size. The worst case is therefore
 *
 *   app.maxSize × 2 × app.webConcurrency × app.dbPoolMax
 *
 * and it must stay within the share of the DB class's max_connections we allow
 * the app (the rest is headroom). The same peak is the `rds-connections` alarm's
 * threshold: more connections than the fleet can open means something else is
 * connecting, or these numbers are wrong.
 */
import type { EnvironmentConfig } from "../config.js";
import { rdsInstanceClass } from "./instance-types.js";

/** RDS for MySQL's default: max_connections = {DBInstanceClassMemory/12582880}. */
export const MYSQL_BYTES_PER_CONNECTION = 12_582_880;

/** An instance refresh runs old and new instances side by side (max_healthy_percentage 200). */
export const REFRESH_OVERLAP_FACTOR = 2;

/**
 * The fraction of the computed max_connections the app fleet may use at its
 * peak. The other 30 % covers: DBInstanceClassMemory being below the nominal
 * memory (RDS keeps some for the OS and its agents; a 1 GiB class reports about
 * 66 rather than 85), RDS's own monitoring sessions, operators (db:users,
 * admin:create, a mysql client through SSM) and a margin for error.
 */
export const APP_SHARE_OF_MAX_CONNECTIONS = 0.7;

/** max_connections RDS for MySQL derives from a class's (nominal) memory. */
export function defaultMaxConnections(memoryGiB: number): number {
  return Math.floor((memoryGiB * 1024 ** 3) / MYSQL_BYTES_PER_CONNECTION);
}

export interface ConnectionBudget {
  readonly instanceClass: string;
  /** Default max_connections for the class (from nominal memory). */
  readonly maxConnections: number;
  /** What the app fleet may use: APP_SHARE_OF_MAX_CONNECTIONS of maxConnections. */
  readonly appAllowance: number;
  /** Connections one instance can hold: webConcurrency × dbPoolMax. */
  readonly perInstance: number;
  /** Instances during a refresh at maximum size: maxSize × 2. */
  readonly peakInstances: number;
  /** The fleet's worst case: peakInstances × perInstance. */
  readonly peak: number;
  readonly fits: boolean;
  /** One line with the arithmetic, for errors, alarm descriptions and docs. */
  readonly explanation: string;
}

/** The budget for a config, or undefined when its DB class is not in the table. */
export function connectionBudget(config: EnvironmentConfig): ConnectionBudget | undefined {
  const dbClass = rdsInstanceClass(config.database.instanceClass);
  if (!dbClass) return undefined;
  const { maxSize, webConcurrency, dbPoolMax } = config.app;
  const maxConnections = defaultMaxConnections(dbClass.memoryGiB);
  const appAllowance = Math.floor(maxConnections * APP_SHARE_OF_MAX_CONNECTIONS);
  const perInstance = webConcurrency * dbPoolMax;
  const peakInstances = maxSize * REFRESH_OVERLAP_FACTOR;
  const peak = peakInstances * perInstance;
  return {
    instanceClass: config.database.instanceClass,
    maxConnections,
    appAllowance,
    perInstance,
    peakInstances,
    peak,
    fits: peak <= appAllowance,
    explanation:
      `app.maxSize ${maxSize} × ${REFRESH_OVERLAP_FACTOR} (instance refresh) × app.webConcurrency ${webConcurrency}` +
      ` × app.dbPoolMax ${dbPoolMax} = ${peak} connections at peak; ${config.database.instanceClass}` +
      ` allows ${maxConnections} (max_connections), ${appAllowance} of them for the app` +
      ` (${Math.round(APP_SHARE_OF_MAX_CONNECTIONS * 100)} %)`,
  };
}
