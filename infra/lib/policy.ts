/**
 * IAM policy helpers. Policies that reference other resources are rendered
 * through aws_iam_policy_document data sources (computed locally by the
 * provider, no AWS call): a JSON string with interpolations inside would be
 * mangled by `cdktf synth --hcl`, our exit from CDKTF.
 */
import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface PolicyStatement {
  readonly sid: string;
  readonly effect: "Allow" | "Deny";
  /** "*" for anyone, or { AWS | Service: identifiers }. Only in resource policies. */
  readonly principal?:
    "*" | { readonly AWS?: string | string[]; readonly Service?: string | string[] };
  readonly actions: string[];
  readonly resources: string[];
  /** test → variable → value, e.g. { Bool: { "aws:SecureTransport": "false" } }. */
  readonly condition?: Record<string, Record<string, string>>;
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Declares an aws_iam_policy_document under `scope` and returns its rendered JSON. */
export function policyDocument(
  scope: Construct,
  id: string,
  statements: readonly PolicyStatement[],
): string {
  return new DataAwsIamPolicyDocument(scope, id, {
    version: "2012-10-17",
    statement: statements.map((s) => ({
      sid: s.sid,
      effect: s.effect,
      actions: s.actions,
      resources: s.resources,
      principals:
        s.principal === undefined
          ? undefined
          : s.principal === "*"
            ? [{ type: "*", identifiers: ["*"] }]
            : Object.entries(s.principal).map(([type, ids]) => ({
                type,
                identifiers: asList(ids as string | string[]),
              })),
      condition: s.condition
        ? Object.entries(s.condition).flatMap(([test, vars]) =>
            Object.entries(vars).map(([variable, value]) => ({ test, variable, values: [value] })),
          )
        : undefined,
    })),
  }).json;
}

/** Trust policy letting one AWS service assume a role (constant JSON, no references). */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
