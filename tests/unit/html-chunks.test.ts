import { Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutUnfilledBytes } from "../../app/lib/html-chunks.server";

/** Streams `element` as app/entry.server.tsx does, optionally repairing each chunk. */
function streamed(element: React.ReactElement, repair: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = renderToPipeableStream(element, {
      onAllReady() {
        stream.pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(repair ? withoutUnfilledBytes(chunk) : chunk);
              done();
            },
            final(done) {
              resolve(Buffer.concat(chunks));
              done();
            },
          }),
        );
      },
      onShellError: reject,
    });
  });
}

/**
 * Many short text pieces (as a page has) with multi-byte characters, shifted
 * by `padding` bytes: short strings go through React's 2048-byte views (a
 * string over a third of a view is written on its own and would reset them).
 */
function page(padding: number, character: string) {
  return createElement(
    "div",
    null,
    createElement("p", null, "x".repeat(padding)),
    ...Array.from({ length: 150 }, (_, i) =>
      createElement("span", { key: i }, ` ${character} ${i}`),
    ),
  );
}

describe("collecting React's streamed HTML", () => {
  it("has the bug it repairs: without repair, some offsets put NUL bytes in the page", async () => {
    let corrupted = 0;
    for (let padding = 0; padding < 40; padding++) {
      if ((await streamed(page(padding, "—"), false)).includes(0)) corrupted++;
    }
    expect(corrupted).toBeGreaterThan(0);
  });

  it("gives exactly renderToString's bytes at every offset, for 2-, 3- and 4-byte characters", async () => {
    for (const character of ["é", "—", "📚"]) {
      for (let padding = 0; padding < 40; padding++) {
        const element = page(padding, character);
        const bytes = await streamed(element, true);
        expect(bytes.includes(0), `${character} at ${padding}`).toBe(false);
        expect(bytes.toString("utf8")).toBe(renderToString(element));
      }
    }
  });

  it("leaves other chunks alone", () => {
    const short = Buffer.from([1, 2, 0]);
    expect(withoutUnfilledBytes(short)).toBe(short);
    const full = Buffer.alloc(2048, 65);
    expect(withoutUnfilledBytes(full)).toBe(full);
    full[2047] = 0;
    full[2046] = 0;
    expect(withoutUnfilledBytes(full).length).toBe(2046);
  });
});
