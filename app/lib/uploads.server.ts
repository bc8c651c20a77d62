/**
 * Image uploads (book covers; later the photo of a book offered for sale),
 * from the request to a file every instance can serve:
 *
 * 1. `readMultipartForm` is readForm's counterpart for forms with a file
 *    (decision 015): POST only, multipart only (415), the body streamed with a
 *    hard limit on everything read (413), the file part on its own limit and
 *    the text fields on readForm's, each field at most once (400).
 * 2. `normalizeImage` decides the type from the bytes (magic numbers: JPEG,
 *    PNG, WebP; never the file's name or declared type), then decodes it with
 *    sharp under a pixel limit (decompression bombs) and a strict `failOn`
 *    (truncated or damaged files), fits it inside 800 × 1200 without
 *    enlarging, and re-encodes it as WebP, which drops its metadata (EXIF,
 *    GPS position, camera serial numbers, ICC profile).
 * 3. `storeImage` writes it under UPLOADS_DIR (EFS in production, shared by
 *    every instance) as <folder>/<sha256 of the bytes>.webp: written under a
 *    temporary dot-name in the same folder and renamed, so no instance ever
 *    serves half a file; the name never changes content, so the server caches
 *    it for a year (server/app.ts).
 * 4. `removeIfUnreferenced` deletes a replaced file once no book cover and no
 *    offer photo points to it (content-hashed names are shared by equal images).
 *
 * Problems with the file are `UploadError`s: a status (413, 415, 422…) and a
 * message for the person, with the form field it belongs to, so a route shows
 * it next to the file input; any it does not catch becomes its 4xx page like
 * every domain error (decision 014).
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import sharp from "sharp";
import type { Db } from "./db.server";
import { DomainError, isDomainError } from "./domain-errors.server";
import { MAX_FORM_BYTES } from "./forms.server";

/** The largest image file we accept. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/**
 * What a decoded image may hold. 40 million pixels is more than any phone
 * camera's default photo (12–24 MP) and ~160 MB once decoded; a "bomb" claims
 * far more (20000 × 20000 is 400 MP) in a few kilobytes, and is refused from
 * its header before anything is decoded.
 */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Covers are shown at most 320 × 480 (twice that for sharp screens, with room). */
export const COVER_SIZE = { width: 800, height: 1200 } as const;
/** Multipart headers and boundaries around the parts: a few hundred bytes in practice. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/**
 * After a refusal, this much more of the body is read and thrown away, so a
 * browser still sending (someone chose a 12 MB photo) gets our answer instead
 * of a reset connection. Beyond it the connection is cut: nothing is kept
 * either way.
 */
const DRAIN_BYTES = 32 * 1024 * 1024;
/** What we accept, named as sharp names formats. */
export type ImageType = "jpeg" | "png" | "webp";

export type UploadStatus = 400 | 405 | 413 | 415 | 422;

/** A problem with an upload, for the person who sent it; `field` is the form field it belongs to. */
export class UploadError extends DomainError {
  constructor(
    readonly status: UploadStatus,
    message: string,
    readonly field: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UploadError";
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return isDomainError(error) && error.name === "UploadError";
}

export interface UploadedFile {
  /** The file's name as the browser sent it (base name only); for messages, never trusted. */
  filename: string;
  bytes: Buffer;
}

export interface MultipartForm {
  /** The text fields, ready for conform's `parseWithZod` like readForm's answer. */
  fields: URLSearchParams;
  /** The file, or null when none was chosen (browsers send an empty part without a name). */
  file: UploadedFile | null;
}

export interface MultipartOptions {
  /** The one field that may carry a file. */
  fileField: string;
  /** The file's limit (default 5 MB): 413 beyond it. */
  maxFileBytes?: number;
  /** All text fields together, names included (default readForm's 16 KiB). */
  maxFieldBytes?: number;
}

function contentTypeOf(request: Request): string | undefined {
  return request.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
}

/** True when the request carries a multipart form (a page may post both kinds to one action). */
export function isMultipart(request: Request): boolean {
  return contentTypeOf(request) === "multipart/form-data";
}

/**
 * Reads a multipart form with at most one file. Never holds more than the
 * limits in memory: the request body is counted as it streams in, and reading
 * stops at the file's limit plus the text fields' and a little for the
 * multipart framing, whatever the parts are (a huge text part, many parts).
 */
export async function readMultipartForm(
  request: Request,
  { fileField, maxFileBytes = MAX_IMAGE_BYTES, maxFieldBytes = MAX_FORM_BYTES }: MultipartOptions,
): Promise<MultipartForm> {
  if (request.method !== "POST") {
    discardBody(request);
    throw new UploadError(405, "This address only accepts forms sent with POST.");
  }
  if (!isMultipart(request) || !request.body) {
    discardBody(request);
    throw new UploadError(415, "Please send this form from the page it belongs to.");
  }
  const tooLarge = () =>
    new UploadError(
      413,
      `That file is too large: the limit is ${formatBytes(maxFileBytes)}.`,
      fileField,
    );
  const limit = maxFileBytes + maxFieldBytes + MULTIPART_OVERHEAD_BYTES;
  const raw = request.body.getReader();
  // A declared length over the limit is refused before reading any of it.
  if (Number(request.headers.get("Content-Length") ?? "0") > limit) {
    discard(raw);
    throw tooLarge();
  }

  let received = 0;
  const bounded = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await raw.read();
        if (done) return controller.close();
        received += value.byteLength;
        if (received > limit) return controller.error(tooLarge());
        controller.enqueue(value);
      },
    },
    // Pull one chunk at a time, only when the parser asks: nothing read ahead.
    { highWaterMark: 0 },
  );

  const fields = new URLSearchParams();
  let fieldBytes = 0;
  let file: UploadedFile | null = null;
  let fileSeen = false;

  const handler = async (part: UploadHandlerPart): Promise<undefined> => {
    if (part.name === fileField) {
      if (fileSeen) throw new UploadError(400, "Please choose one file only.", fileField);
      fileSeen = true;
      const bytes = await collect(part.data, maxFileBytes, tooLarge);
      // No file chosen: the browser still sends the part, with an empty name and no bytes.
      if (bytes.length > 0 || part.filename) file = { filename: part.filename ?? "", bytes };
      return undefined;
    }
    if (typeof part.filename === "string") {
      throw new UploadError(400, "This form does not take a file there.");
    }
    if (fields.has(part.name)) {
      throw new UploadError(400, "A field of this form was sent more than once.");
    }
    const formTooLarge = () => new UploadError(413, "That form is far larger than expected.");
    fieldBytes += Buffer.byteLength(part.name) + 1;
    if (fieldBytes > maxFieldBytes) throw formTooLarge();
    const value = await collect(part.data, maxFieldBytes - fieldBytes, formTooLarge);
    fieldBytes += value.length;
    fields.append(part.name, value.toString("utf8"));
    return undefined;
  };

  try {
    // Remix's parser streams part by part; its input is the bounded stream,
    // so its own buffers (headers, a part nobody reads) are bounded too.
    const parsing = new Request(request.url, {
      method: "POST",
      headers: { "Content-Type": request.headers.get("Content-Type")! },
      body: bounded,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    await unstable_parseMultipartFormData(parsing, handler);
  } catch (error) {
    discard(raw);
    if (isUploadError(error)) throw error;
    // Malformed multipart (a broken boundary or part header), or the client went away.
    const message = "That form did not arrive in one piece. Please send it again.";
    throw new UploadError(400, message, null, { cause: error });
  }
  // The parser stops at the closing boundary; read what a client sends after it.
  discard(raw);
  return { fields, file };
}

async function collect(
  data: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLarge: () => UploadError,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Lets the rest of a request's body go without keeping it: call it when
 * refusing a request before reading its body (a guest's upload). Otherwise
 * the unread body stalls the connection, and the browser, still sending,
 * may never show our answer.
 */
export function discardBody(request: Request): void {
  if (!request.body || request.bodyUsed || request.body.locked) return;
  discard(request.body.getReader());
}

function discard(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    let left = DRAIN_BYTES;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
      // Cancelling closes the connection (the Express adapter destroys the request).
      if (left < 0) return reader.cancel();
    }
  })().catch(() => {
    // The client went away: nothing left to discard.
  });
}

/** The image type the bytes begin with, whatever the file is called; null for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const starts = (offset: number, ...expected: number[]) =>
    bytes.length >= offset + expected.length && expected.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  // "RIFF", 4 bytes of length, "WEBP"
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return "webp";
  return null;
}

export interface NormalizeOptions {
  /** The form field the file came from, for the error's place on the form. */
  field: string;
  maxBytes?: number;
  /** The box the image is fitted inside (never enlarged); default 800 × 1200. */
  width?: number;
  height?: number;
}

/**
 * Checks an uploaded file is a real JPEG, PNG or WebP image and turns it into
 * our own WebP: fitted inside the box, upright (EXIF orientation applied), with
 * no metadata. Throws an UploadError the person can act on otherwise.
 */
export async function normalizeImage(
  bytes: Uint8Array,
  {
    field,
    maxBytes = MAX_IMAGE_BYTES,
    width = COVER_SIZE.width,
    height = COVER_SIZE.height,
  }: NormalizeOptions,
): Promise<Buffer> {
  if (bytes.length === 0) {
    throw new UploadError(422, "That file is empty. Choose an image file.", field);
  }
  if (bytes.length > maxBytes) {
    throw new UploadError(
      413,
      `That file is too large: the limit is ${formatBytes(maxBytes)}.`,
      field,
    );
  }
  const type = sniffImageType(bytes);
  const notAnImage = () =>
    new UploadError(
      415,
      "That file is not a JPEG, PNG or WebP image. (We look at what is inside the file, not at its name.)",
      field,
    );
  if (!type) throw notAnImage();

  try {
    const image = sharp(bytes, {
      // The strictest level, as sharp advises for untrusted input: a truncated
      // or damaged file is refused rather than half-decoded.
      failOn: "warning",
      limitInputPixels: MAX_INPUT_PIXELS,
      autoOrient: true,
      sequentialRead: true,
      // An animated WebP or PNG becomes its first frame.
      pages: 1,
    }).timeout({ seconds: 20 });
    // The header alone: a bomb is refused here, before any pixel is decoded.
    const { format } = await image.metadata();
    if (format !== type) throw notAnImage();
    return await image
      .resize({ width, height, fit: "inside", withoutEnlargement: true })
      // WebP: small, and every browser we support shows it. No withMetadata():
      // sharp writes none of the input's EXIF, XMP or ICC data.
      .webp({ quality: 82 })
      .toBuffer();
  } catch (error) {
    if (isUploadError(error)) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new UploadError(
        422,
        `That image has too many pixels: at most ${MAX_INPUT_PIXELS / 1_000_000} million (for example 8000 × 5000). Please upload a smaller version.`,
        field,
        { cause: error },
      );
    }
    throw new UploadError(
      422,
      "We could not read that image: it seems damaged or incomplete. Try saving it again and uploading the new file.",
      field,
      { cause: error },
    );
  }
}

/**
 * Reads a multipart form and prepares its image: the text fields, and the
 * image as our WebP (or null when none was chosen and it is optional).
 * Throws UploadError for anything wrong with the request or the file.
 */
export async function readImageUpload(
  request: Request,
  {
    field,
    maxBytes = MAX_IMAGE_BYTES,
    required = true,
    ...box
  }: { field: string; maxBytes?: number; required?: boolean; width?: number; height?: number },
): Promise<{ fields: URLSearchParams; image: Buffer | null }> {
  const { fields, file } = await readMultipartForm(request, {
    fileField: field,
    maxFileBytes: maxBytes,
  });
  if (!file) {
    if (!required) return { fields, image: null };
    throw new UploadError(400, "Choose a JPEG, PNG or WebP image to upload.", field);
  }
  return { fields, image: await normalizeImage(file.bytes, { field, maxBytes, ...box }) };
}

const FOLDER = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Stores the bytes as <folder>/<sha256>.<extension> under `uploadsDir` and
 * returns that relative path (what books.cover_path and offers.photo_path
 * hold). Equal images share one file. The temporary name starts with a dot,
 * which the /uploads handler never serves.
 */
/**
 * `mkdir -p` that fails with the real cause. Node's recursive mkdir reports a
 * read-only file system (EFS mounted read-only) as ENOENT, which would send
 * whoever reads the log looking for a missing folder; a plain mkdir says EROFS.
 */
export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await fs.mkdir(dir);
  }
}

export async function storeImage(
  uploadsDir: string,
  bytes: Uint8Array,
  { folder, extension = "webp" }: { folder: string; extension?: string },
): Promise<string> {
  if (!FOLDER.test(folder) || !/^[a-z0-9]{1,8}$/.test(extension)) {
    throw new Error(`storeImage: unsafe folder or extension ${folder}/*.${extension}`);
  }
  const name = `${crypto.createHash("sha256").update(bytes).digest("hex")}.${extension}`;
  const dir = path.join(uploadsDir, folder);
  await ensureDirectory(dir);
  const temporary = path.join(dir, `.${name}.${crypto.randomBytes(8).toString("hex")}.tmp`);
  try {
    const handle = await fs.open(temporary, "wx");
    try {
      await handle.writeFile(bytes);
      // On disk before the rename makes it visible (EFS: to every instance).
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Written even when an equal image is stored already: the rename swaps in
    // the same bytes atomically, and undoes a removal of that image that ran
    // just before. (One that checked the references before our book points
    // here and unlinks after this rename can still take it: equal images at
    // that very moment are rare, and uploading again restores the file.)
    await fs.rename(temporary, path.join(dir, name));
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return `${folder}/${name}`;
}

/**
 * Deletes an uploaded file when no book's cover and no offer's photo refers
 * to it any more; returns whether it did. Call it after the change that
 * dropped the reference has committed.
 */
export async function removeIfUnreferenced(
  db: Db,
  uploadsDir: string,
  relativePath: string | null,
): Promise<boolean> {
  if (!relativePath) return false;
  const root = path.resolve(uploadsDir);
  const file = path.resolve(root, relativePath);
  // Only ever a file inside UPLOADS_DIR, whatever a row says.
  if (!file.startsWith(root + path.sep)) return false;
  const [book, offer] = await Promise.all([
    db("books").where({ coverPath: relativePath }).first("id"),
    db("offers").where({ photoPath: relativePath }).first("id"),
  ]);
  if (book || offer) return false;
  try {
    await fs.unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.round(bytes / 1024)} KB`;
}
