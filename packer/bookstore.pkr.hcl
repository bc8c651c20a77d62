# The Bookstore AMI: Ubuntu 22.04 LTS, Node.js LTS, the release under
# /opt/bookstore, a hardened systemd unit, EFS over TLS in fstab and the
# CloudWatch agent. See packer/README.md ("Release and image").

packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "~> 1.3"
    }
  }
}

locals {
  built_at = timestamp()
  # AMI names allow no colons; keep the time sortable.
  ami_name = "bookstore-${var.app_version}-${substr(var.git_sha, 0, 12)}-${formatdate("YYYYMMDDhhmmss", local.built_at)}"

  image_tags = {
    App     = "bookstore"
    Version = var.app_version
    GitSha  = var.git_sha
    BuiltAt = local.built_at
  }

  staging_dir = "/tmp/bookstore"
}

source "amazon-ebs" "bookstore" {
  region        = var.aws_region
  instance_type = var.instance_type
  subnet_id     = var.subnet_id == "" ? null : var.subnet_id

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-${var.architecture}-server-*"
      architecture        = var.architecture == "amd64" ? "x86_64" : "arm64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["099720109477"] # Canonical
    most_recent = true
  }

  ami_name        = local.ami_name
  ami_description = "Bookstore ${var.app_version} (${var.git_sha}) on Ubuntu 22.04 LTS"
  # Instances launched from this AMI must use IMDSv2 (session tokens).
  imds_support = "v2.0"
  ena_support  = true

  # The build instance itself also answers only IMDSv2.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = var.volume_size_gib
    volume_type           = "gp3"
    encrypted             = true
    kms_key_id            = var.kms_key_id == "" ? null : var.kms_key_id
    delete_on_termination = true
  }
  # Encrypted at rest: the AMI's snapshot is encrypted too.
  encrypt_boot = true
  kms_key_id   = var.kms_key_id == "" ? null : var.kms_key_id

  communicator = "ssh"
  ssh_username = "ubuntu"
  ssh_timeout  = "10m"
  # The temporary security group admits SSH from this machine's address only,
  # and the build's key leaves the image with it.
  temporary_security_group_source_public_ip = true
  ssh_clear_authorized_keys                 = true

  # Encrypting a copy of the snapshot can take longer than the default wait.
  aws_polling {
    delay_seconds = 15
    max_attempts  = 240
  }

  tags            = local.image_tags
  snapshot_tags   = local.image_tags
  run_tags        = merge(local.image_tags, { Name = "packer-bookstore-${var.app_version}" })
  run_volume_tags = local.image_tags
}

build {
  name    = "bookstore"
  sources = ["source.amazon-ebs.bookstore"]

  provisioner "shell" {
    inline = ["install -d -m 0700 ${local.staging_dir} ${local.staging_dir}/files"]
  }

  provisioner "file" {
    source      = var.release_tarball
    destination = "${local.staging_dir}/release.tgz"
  }

  # The trailing slash uploads the directory's contents.
  provisioner "file" {
    source      = "${path.root}/files/"
    destination = "${local.staging_dir}/files"
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} bash {{ .Path }}"
    environment_vars = [
      "NODE_MAJOR=${var.node_major}",
      "EFS_UTILS_VERSION=${var.efs_utils_version}",
      "EFS_FILE_SYSTEM_ID=${var.efs_file_system_id}",
      "EFS_ACCESS_POINT_ID=${var.efs_access_point_id}",
      "APP_VERSION=${var.app_version}",
      "RELEASE_TARBALL=${local.staging_dir}/release.tgz",
      "FILES_DIR=${local.staging_dir}/files",
    ]
    scripts = [
      "${path.root}/scripts/install-os-updates.sh",
      "${path.root}/scripts/install-nodejs.sh",
      "${path.root}/scripts/create-app-user.sh",
      "${path.root}/scripts/install-release.sh",
      "${path.root}/scripts/install-efs-utils.sh",
      "${path.root}/scripts/configure-efs-mount.sh",
      "${path.root}/scripts/install-cloudwatch-agent.sh",
      "${path.root}/scripts/install-rds-ca-bundle.sh",
      "${path.root}/scripts/configure-service.sh",
      "${path.root}/scripts/cleanup.sh",
    ]
  }

  # The app stack reads the AMI id from here (artifact_id is "<region>:<ami-id>").
  post-processor "manifest" {
    output     = "${path.root}/manifest.json"
    strip_path = true
    custom_data = {
      app_version = var.app_version
      git_sha     = var.git_sha
      region      = var.aws_region
    }
  }
}
