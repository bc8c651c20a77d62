import { Construct } from "constructs";
import { sessionSecretName } from "../lib/naming.js";
import { generatedSecret } from "./generated-secret.js";

export interface SessionSecretProps {
  readonly environment: string;
  readonly namePrefix: string;
}

/**
 * The cookie-signing secret, stored as JSON {"SESSION_SECRET": "<64 hex chars>"}
 * (what app/lib/aws-secrets.server.ts resolveSessionSecret expects).
 *
 * Generated once by Terraform, then owned by operations: later changes are
 * ignored, so rotating it by hand (docs/operations.md) is not undone by the next
 * deploy, and the secret cannot be destroyed by a plan (prevent_destroy). See
 * docs/decisions/011-session-secret-bootstrap.md.
 */
export class SessionSecret extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SessionSecretProps) {
    super(scope, id);
    this.arn = generatedSecret(this, {
      name: sessionSecretName(props.environment),
      description:
        "Bookstore SESSION_SECRET (JSON key SESSION_SECRET) used to sign session cookies",
      value: (random) => ({ SESSION_SECRET: random() }),
    });
  }
}
