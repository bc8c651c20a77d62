import { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface DnsValidatedCertificateProps {
  readonly domainName: string;
  readonly hostedZoneId: string;
}

/**
 * An ACM certificate validated through Route 53 records. `certificateArn` is
 * the validation resource's attribute, so the HTTPS listener waits until the
 * certificate is issued. create_before_destroy lets a domain change swap
 * certificates without a listener outage.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: props.domainName },
    });
    const options = TerraformIterator.fromComplexList(
      certificate.domainValidationOptions,
      "domain_name",
    );
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: props.hostedZoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(
        TerraformIterator.fromResources(records).pluckProperty("fqdn"),
      ),
    });
    this.certificateArn = validation.certificateArn;
  }
}
