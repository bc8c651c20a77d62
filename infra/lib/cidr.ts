import { parseCidr } from "../config.js";

function format(address: number, prefix: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${prefix}`;
}

/**
 * The `index`-th subnet of `cidr` with `newBits` more prefix bits, like
 * Terraform's cidrsubnet(). Computed at synth time so the plan shows real values.
 */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`not a CIDR block: ${cidr}`);
  const prefix = parsed.prefix + newBits;
  if (prefix > 28 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cannot carve subnet ${index} of /${prefix} out of ${cidr}`);
  }
  const size = 2 ** (32 - prefix);
  return format((parsed.address + index * size) >>> 0, prefix);
}

/**
 * The subnet plan: the VPC is cut into 16 equal blocks; block i holds the
 * public subnet of AZ i, block 4+i the private (app) subnet, block 8+i the
 * database subnet. Blocks 12-15 are kept free for later tiers.
 */
export function subnetPlan(vpcCidr: string, azCount: number) {
  const block = (offset: number) =>
    Array.from({ length: azCount }, (_, i) => cidrSubnet(vpcCidr, 4, offset + i));
  return { public: block(0), private: block(4), database: block(8) };
}
