# Inputs of the Bookstore image. Every one is typed, described and validated,
# so a wrong value fails at `packer validate`, not twenty minutes into a build.

variable "aws_region" {
  type        = string
  description = "AWS region to build the AMI in (the region of the app stack)."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "The aws_region must be a region name such as eu-west-1."
  }
}

variable "instance_type" {
  type        = string
  description = "Instance type of the temporary build instance (efs-utils compiles Rust: 2 vCPUs and 4 GiB at least)."
  default     = "t3.medium"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "The instance_type must be an EC2 instance type such as t3.medium."
  }
}

variable "architecture" {
  type        = string
  description = "CPU architecture of the image; must match instance_type (amd64 for t3, arm64 for t4g)."
  default     = "amd64"

  validation {
    condition     = contains(["amd64", "arm64"], var.architecture)
    error_message = "The architecture must be amd64 or arm64."
  }
}

variable "release_tarball" {
  type        = string
  description = "Path of the release built by `npm run package`, e.g. dist/bookstore-0.1.0-0123456789ab.tgz."

  validation {
    condition     = can(regex("bookstore-[0-9]+\\.[0-9]+\\.[0-9]+[^/]*\\.tgz$", var.release_tarball))
    error_message = "The release_tarball must be a dist/bookstore-<version>-<gitsha>.tgz made by npm run package."
  }
}

variable "app_version" {
  type        = string
  description = "Version of the release (the VERSION file in the tarball; package.json's version)."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$", var.app_version))
    error_message = "The app_version must be a semantic version such as 1.4.0."
  }
}

variable "git_sha" {
  type        = string
  description = "Git commit the release was built from (the REVISION file in the tarball)."

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.git_sha))
    error_message = "The git_sha must be 7 to 40 lowercase hexadecimal characters."
  }
}

variable "efs_file_system_id" {
  type        = string
  description = "EFS file system mounted at /mnt/efs (output of the foundation stack)."

  validation {
    condition     = can(regex("^fs-([0-9a-f]{8}|[0-9a-f]{17})$", var.efs_file_system_id))
    error_message = "The efs_file_system_id must look like fs-0123456789abcdef0."
  }
}

variable "efs_access_point_id" {
  type        = string
  description = "Optional EFS access point to mount through (enforces uid/gid 10001); empty mounts the file system root."
  default     = ""

  validation {
    condition     = var.efs_access_point_id == "" || can(regex("^fsap-[0-9a-f]{17}$", var.efs_access_point_id))
    error_message = "The efs_access_point_id must be empty or look like fsap-0123456789abcdef0."
  }
}

variable "node_major" {
  type        = number
  description = "Major version of Node.js to install: an LTS line (even numbers)."
  default     = 26

  validation {
    condition     = var.node_major >= 20 && var.node_major % 2 == 0 && floor(var.node_major) == var.node_major
    error_message = "The node_major must be an even (LTS) major version of at least 20."
  }
}

variable "efs_utils_version" {
  type        = string
  description = "Git tag of aws/efs-utils to build (it is not packaged for Ubuntu)."
  default     = "v2.3.1"

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+$", var.efs_utils_version))
    error_message = "The efs_utils_version must be a release tag such as v2.3.1."
  }
}

variable "volume_size_gib" {
  type        = number
  description = "Size of the encrypted root volume in GiB."
  default     = 16

  validation {
    condition     = var.volume_size_gib >= 8 && var.volume_size_gib <= 256
    error_message = "The volume_size_gib must be between 8 and 256."
  }
}

variable "kms_key_id" {
  type        = string
  description = "Optional KMS key (id, ARN or alias ARN) for the root volume; empty uses the account's default EBS key."
  default     = ""

  validation {
    condition     = var.kms_key_id == "" || can(regex("^(arn:aws[a-z-]*:kms:|alias/|[0-9a-f-]{36}$)", var.kms_key_id))
    error_message = "The kms_key_id must be empty, a key id, an alias or a KMS ARN."
  }
}

variable "subnet_id" {
  type        = string
  description = "Optional subnet for the build instance; empty lets Packer use the default VPC."
  default     = ""

  validation {
    condition     = var.subnet_id == "" || can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "The subnet_id must be empty or look like subnet-0123456789abcdef0."
  }
}
