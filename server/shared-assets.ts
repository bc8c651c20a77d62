/**
 * Rolling deploys must not break open tabs. During an instance refresh old and
 * new releases serve side by side behind the ALB, and a page rendered by the
 * old release asks for its own fingerprinted assets, which a new instance
 * does not have. So each instance copies its public/build files to a folder
 * on the shared file system at start (SHARED_ASSETS_DIR, on EFS), and serves
 * /build from its own disk first, then from that shared copy.
 *
 * The names are content hashes, so a file that already exists is the same
 * file: never overwrite; write to a temporary name and rename, so a reader
 * never sees half a file.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export async function publishAssets(localDir: string, sharedDir: string): Promise<number> {
  let published = 0;
  for (const relative of await listFiles(localDir)) {
    const target = path.join(sharedDir, relative);
    if (await exists(target)) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    await fs.copyFile(path.join(localDir, relative), temporary);
    await fs.rename(temporary, target);
    published += 1;
  }
  return published;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = path.join(prefix, entry.name);
      return entry.isDirectory() ? listFiles(dir, relative) : Promise.resolve([relative]);
    }),
  );
  return nested.flat();
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
