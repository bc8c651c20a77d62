import { Construct } from "constructs";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { BOOKSTORE_UID, EFS_ROOT_DIRECTORY } from "../lib/naming.js";
import { policyDocument } from "../lib/policy.js";

export interface SharedStorageProps {
  readonly namePrefix: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
}

/**
 * EFS for uploads shared by every instance: encrypted at rest, TLS required in
 * transit, a mount target per AZ, and an access point that pins the app's
 * POSIX identity (uid/gid 10001, the image's `bookstore` user) and directory.
 */
export class SharedStorage extends Construct {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;

  constructor(scope: Construct, id: string, props: SharedStorageProps) {
    super(scope, id);
    const fs = new EfsFileSystem(this, "file-system", {
      creationToken: `${props.namePrefix}-uploads`,
      encrypted: true, // encryption at rest
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicy: [{ transitionToIa: "AFTER_30_DAYS" }],
      tags: { Name: `${props.namePrefix}-uploads` },
      // Data durability: the uploads have no other copy than AWS Backup; no plan may destroy them.
      lifecycle: { preventDestroy: true },
    });
    new EfsBackupPolicy(this, "backup", {
      fileSystemId: fs.id,
      backupPolicy: { status: "ENABLED" },
    });

    props.subnetIds.forEach(
      (subnetId, i) =>
        new EfsMountTarget(this, `mount-target-${i}`, {
          fileSystemId: fs.id,
          subnetId,
          securityGroups: [props.securityGroupId],
        }),
    );

    const accessPoint = new EfsAccessPoint(this, "uploads", {
      fileSystemId: fs.id,
      posixUser: { uid: BOOKSTORE_UID, gid: BOOKSTORE_UID },
      rootDirectory: {
        path: EFS_ROOT_DIRECTORY,
        creationInfo: { ownerUid: BOOKSTORE_UID, ownerGid: BOOKSTORE_UID, permissions: "0750" },
      },
      tags: { Name: `${props.namePrefix}-uploads` },
    });

    new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: fs.id,
      policy: policyDocument(this, "policy-document", [
        {
          sid: "DenyUnencryptedTransport", // in-transit encryption: clients must mount with -o tls
          effect: "Deny",
          principal: { AWS: "*" },
          actions: ["*"],
          resources: [fs.arn],
          condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          sid: "AllowMountAndWriteThroughMountTargets", // no root access: the access point maps to uid 10001
          effect: "Allow",
          principal: { AWS: "*" },
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          resources: [fs.arn],
          condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
        },
      ]),
    });

    this.fileSystemId = fs.id;
    this.fileSystemArn = fs.arn;
    this.accessPointId = accessPoint.id;
    this.accessPointArn = accessPoint.arn;
  }
}
