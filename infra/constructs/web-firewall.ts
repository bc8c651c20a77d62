import { Construct } from "constructs";
import { App } from "cdktf";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { WafConfig } from "../config.js";

/** The pages whose POSTs sign in, create accounts or send reset e-mails (app/routes). */
export const SIGN_IN_PATHS = ["/login", "/join", "/forgot-password", "/reset-password"] as const;

/** Rate-based rules count over this window (seconds). */
export const RATE_WINDOW_SECONDS = 300;

/**
 * AWS managed rule groups, and the rules in them switched from Block to Count.
 * SizeRestrictions_BODY blocks bodies over 8 KB: cover uploads (up to 5 MB) and
 * CSV imports are bigger, and the app enforces its own limits on both (413,
 * app/lib/uploads.server.ts, app/services/book-csv.server.ts).
 */
export const MANAGED_RULE_GROUPS = [
  { name: "AWSManagedRulesKnownBadInputsRuleSet", countInsteadOfBlock: [] },
  { name: "AWSManagedRulesCommonRuleSet", countInsteadOfBlock: ["SizeRestrictions_BODY"] },
] as const;

type Statement =
  | {
      readonly kind: "managed";
      readonly name: string;
      readonly countInsteadOfBlock: readonly string[];
    }
  | {
      readonly kind: "rate";
      readonly limit: number;
      /** Only requests whose path matches this regex, with this method, are counted. */
      readonly scopeDown?: { readonly pathRegex: string; readonly method: string };
    };

interface RuleSpec {
  /** Rule name and CloudWatch metric suffix. */
  readonly name: string;
  readonly priority: number;
  readonly statement: Statement;
}

/** The rules, in evaluation order (lowest priority first). */
export function webAclRules(config: WafConfig): RuleSpec[] {
  const paths = SIGN_IN_PATHS.map((p) => p.slice(1)).join("|");
  return [
    // Flood protection: any client IP over the general limit is blocked for the rest of the window.
    {
      name: "rate-limit-per-ip",
      priority: 0,
      statement: { kind: "rate", limit: config.requestsPer5MinutesPerIp },
    },
    // Credential stuffing: a much tighter limit on sign-in, join and reset POSTs per client IP,
    // in front of the app's own per-IP and per-account limits (decision 018).
    {
      name: "rate-limit-sign-in",
      priority: 1,
      statement: {
        kind: "rate",
        limit: config.signInPostsPer5MinutesPerIp,
        scopeDown: { pathRegex: `^/(${paths})(/|$)`, method: "POST" },
      },
    },
    ...MANAGED_RULE_GROUPS.map((group, i): RuleSpec => ({
      name: group.name,
      priority: 10 + i,
      statement: { kind: "managed", ...group },
    })),
  ];
}

// Paths are URL-decoded and lower-cased before matching: Express and Remix route
// /LOGIN and /%6Cogin to the same page as /login.
const PATH_TRANSFORMS = [
  { priority: 0, type: "URL_DECODE" },
  { priority: 1, type: "LOWERCASE" },
];

/** A rule as the provider's `rule` block (snake_case; `statement` is untyped in the bindings). */
function terraformRule(spec: RuleSpec, metricPrefix: string): Wafv2WebAclRule {
  const visibilityConfig = {
    cloudwatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${metricPrefix}-${spec.name}`,
  };
  const s = spec.statement;
  if (s.kind === "managed") {
    return {
      name: spec.name,
      priority: spec.priority,
      overrideAction: { none: {} }, // the group's own actions apply
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: s.name,
          ...(s.countInsteadOfBlock.length > 0
            ? {
                rule_action_override: s.countInsteadOfBlock.map((name) => ({
                  name,
                  action_to_use: { count: {} },
                })),
              }
            : {}),
        },
      },
      visibilityConfig,
    };
  }
  return {
    name: spec.name,
    priority: spec.priority,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: s.limit,
        aggregate_key_type: "IP", // the ALB sees the client's address; no header to forge
        evaluation_window_sec: RATE_WINDOW_SECONDS,
        ...(s.scopeDown
          ? {
              scope_down_statement: {
                and_statement: {
                  statement: [
                    {
                      regex_match_statement: {
                        regex_string: s.scopeDown.pathRegex,
                        field_to_match: { uri_path: {} },
                        text_transformation: PATH_TRANSFORMS,
                      },
                    },
                    {
                      regex_match_statement: {
                        regex_string: `^${s.scopeDown.method}$`,
                        field_to_match: { method: {} },
                        text_transformation: [{ priority: 0, type: "NONE" }],
                      },
                    },
                  ],
                },
              },
            }
          : {}),
      },
    },
    visibilityConfig,
  };
}

/** The same rule in the WAF API's JSON (the provider's `rule_json`), for the HCL export. */
function apiRule(spec: RuleSpec, metricPrefix: string): Record<string, unknown> {
  const t = terraformRule(spec, metricPrefix);
  const pascal = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(pascal);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([key, v]) => [
          // An and_statement's list of statements is "Statements" in the API.
          key === "statement" && Array.isArray(v)
            ? "Statements"
            : (API_NAMES[key] ?? upperFirst(key)),
          pascal(v),
        ]),
      );
    }
    return value;
  };
  return pascal({
    name: t.name,
    priority: t.priority,
    ...(t.action ? { action: t.action } : { overrideAction: t.overrideAction }),
    statement: t.statement,
    visibilityConfig: t.visibilityConfig,
  }) as Record<string, unknown>;
}

/** Terraform block names whose API name is not just the PascalCase form. */
const API_NAMES: Record<string, string> = {
  rule_action_override: "RuleActionOverrides",
  text_transformation: "TextTransformations",
  cloudwatchMetricsEnabled: "CloudWatchMetricsEnabled",
};
const upperFirst = (key: string) =>
  key
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

export interface WebFirewallProps {
  readonly namePrefix: string;
  readonly config: WafConfig;
  /** The load balancer to protect. */
  readonly loadBalancerArn: string;
}

/**
 * AWS WAF (v2, regional) in front of the ALB: per-IP rate limits (all requests,
 * and a tighter one on sign-in POSTs), then AWS's Known Bad Inputs and Common
 * rule sets; everything else is allowed. Every rule publishes CloudWatch metrics
 * and sampled requests. See docs/decisions/034-waf-on-the-load-balancer.md.
 *
 * The provider bindings leave a rule's `statement` untyped, which the JSON synth
 * (what we deploy and plan) renders as nested blocks but `cdktf synth --hcl`
 * renders as an attribute Terraform rejects. The HCL export (our exit from CDKTF,
 * decision 010) therefore carries the same rules as `rule_json`; the deployed
 * JSON keeps `rule` blocks, which unlike `rule_json` have drift detection.
 */
export class WebFirewall extends Construct {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const metricPrefix = props.namePrefix;
    const specs = webAclRules(props.config);
    const hcl = App.of(this).hclOutput;
    const acl = new Wafv2WebAcl(this, "web-acl", {
      name: `${props.namePrefix}-alb`,
      description: "Bookstore ALB: rate limits per client IP, AWS managed rule groups",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: `${metricPrefix}-web-acl`,
      },
      ...(hcl
        ? { ruleJson: JSON.stringify(specs.map((spec) => apiRule(spec, metricPrefix))) }
        : { rule: specs.map((spec) => terraformRule(spec, metricPrefix)) }),
    });
    new Wafv2WebAclAssociation(this, "alb", {
      resourceArn: props.loadBalancerArn,
      webAclArn: acl.arn,
    });
    this.webAclArn = acl.arn;
  }
}
