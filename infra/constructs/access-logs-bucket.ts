import { Construct } from "constructs";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { policyDocument } from "../lib/policy.js";

export interface AccessLogsBucketProps {
  readonly namePrefix: string;
  readonly retentionDays: number;
  /** Key prefix the ALB writes under. */
  readonly prefix: string;
}

/**
 * Private, encrypted S3 bucket for ALB access logs, with the bucket policy
 * ELB log delivery needs (the regional ELB account and the log-delivery
 * service principal) and nothing else; objects expire after the retention.
 */
export class AccessLogsBucket extends Construct {
  readonly bucketName: string;
  /** The bucket policy: the ALB must depend on it, or enabling logs fails. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    const bucket = new S3Bucket(this, "bucket", {
      bucketPrefix: `${props.namePrefix}-alb-logs-`,
      forceDestroy: false,
      tags: { Name: `${props.namePrefix}-alb-logs` },
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    // ALB log delivery supports SSE-S3 only (not SSE-KMS).
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const elbAccount = new DataAwsElbServiceAccount(this, "elb-account", {});
    const logObjects = `${bucket.arn}/${props.prefix}/AWSLogs/*`;
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: policyDocument(this, "policy-document", [
        {
          sid: "ElbAccountWritesAccessLogs",
          effect: "Allow",
          principal: { AWS: elbAccount.arn },
          actions: ["s3:PutObject"],
          resources: [logObjects],
        },
        {
          sid: "LogDeliveryWritesAccessLogs",
          effect: "Allow",
          principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
          actions: ["s3:PutObject"],
          resources: [logObjects],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principal: "*",
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
    this.bucketName = bucket.bucket;
  }
}
