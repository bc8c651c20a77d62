/**
 * Collects React's rendered HTML into one buffer, repairing a React 18 bug
 * on the way.
 *
 * react-dom/server (18.3.1, ReactServerStreamConfigNode's writeStringChunk)
 * encodes text into 2048-byte views. When a multi-byte character (an em dash,
 * an accented letter) does not fit at the end of a view, it writes the whole
 * view anyway, so the 1–3 bytes it left unfilled go out as NUL bytes in the
 * middle of the page (seen on /books?genre=Fiction: "\0—"). Views are freshly
 * zeroed, and our pages never hold a NUL of their own (control characters are
 * removed from every input), so trailing NULs of a full view are exactly those
 * unfilled bytes. tests/unit/html-chunks.test.ts renders text across every
 * boundary offset and compares with renderToString.
 */
const REACT_VIEW_SIZE = 2048;
const MAX_UNFILLED = 3;

export function withoutUnfilledBytes(chunk: Buffer): Buffer {
  if (chunk.length !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.length;
  while (end > chunk.length - MAX_UNFILLED && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}
