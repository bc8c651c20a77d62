import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface DnsAliasProps {
  readonly hostedZoneId: string;
  readonly domainName: string;
  readonly targetDnsName: string;
  readonly targetZoneId: string;
}

/** The shop's host name as an alias A record for the ALB. */
export class DnsAlias extends Construct {
  constructor(scope: Construct, id: string, props: DnsAliasProps) {
    super(scope, id);
    new Route53Record(this, "alias", {
      zoneId: props.hostedZoneId,
      name: props.domainName,
      type: "A",
      alias: { name: props.targetDnsName, zoneId: props.targetZoneId, evaluateTargetHealth: true },
    });
  }
}
