import { Construct } from "constructs";
import { dbUserSecretName } from "../lib/naming.js";
import { generatedSecret } from "./generated-secret.js";

export interface DatabaseUsersProps {
  readonly environment: string;
  readonly appUsername: string;
  readonly migratorUsername: string;
}

/**
 * The secrets of the two MySQL users the instances connect as
 * (docs/decisions/031-database-users.md), JSON {"username", "password"} like the
 * RDS-managed master secret, so app/lib/aws-secrets.server.ts reads all three alike:
 *
 * - `bookstore/<env>/db-app`: the server's user, DML only (SELECT, INSERT, UPDATE,
 *   DELETE on the schema).
 * - `bookstore/<env>/db-migrator`: the user `cli.js migrate` runs as, with DDL on
 *   the schema.
 *
 * Least privilege: the instances never hold the master user's credentials, and
 * the app cannot change the schema. Terraform only creates the secrets; the
 * MySQL users are created from them by `cli.js db:users`, run once by ops with
 * the master credentials (docs/operations.md, "First deploy").
 */
export class DatabaseUsers extends Construct {
  readonly appSecretArn: string;
  readonly migratorSecretArn: string;

  constructor(scope: Construct, id: string, props: DatabaseUsersProps) {
    super(scope, id);
    const userSecret = (role: "app" | "migrator", username: string, what: string) =>
      generatedSecret(new Construct(this, role), {
        name: dbUserSecretName(props.environment, role),
        description: `Bookstore MySQL ${role} user (${what}): JSON {"username","password"}`,
        value: (random) => ({ username, password: random() }),
      });
    this.appSecretArn = userSecret("app", props.appUsername, "DML only, used by the server");
    this.migratorSecretArn = userSecret(
      "migrator",
      props.migratorUsername,
      "DDL on the schema, used by cli.js migrate",
    );
  }
}
