import { describe, expect, it } from "vitest";
import { planSearch } from "../../app/lib/search.server";

describe("planning a search", () => {
  it("sends indexable words to the full-text index", () => {
    expect(planSearch("Moby Dick")).toEqual({ fullText: ["moby", "dick"], prefixLike: [] });
  });

  it("drops stop words when there is something else to search for", () => {
    expect(planSearch("The Call of the Wild")).toEqual({
      fullText: ["call", "wild"],
      prefixLike: [],
    });
  });

  it("keeps words the index cannot see as prefix matches", () => {
    expect(planSearch("oz wizard")).toEqual({ fullText: ["wizard"], prefixLike: ["oz"] });
    expect(planSearch("It")).toEqual({ fullText: [], prefixLike: ["it"] });
  });

  it("reduces punctuation and operators to plain words", () => {
    expect(planSearch(`+"war"* -peace ~(love)`)).toEqual({
      fullText: ["war", "peace", "love"],
      prefixLike: [],
    });
    expect(planSearch("'; DROP TABLE books; --")).toEqual({
      fullText: ["drop", "table", "books"],
      prefixLike: [],
    });
    expect(planSearch("  !!! ")).toBeNull();
  });

  it("keeps underscores inside words, as both full-text indexes do, and nowhere else", () => {
    expect(planSearch("snake_case __init__")?.fullText).toEqual(["snake_case", "init"]);
    expect(planSearch("_ __ %_")).toBeNull();
  });

  it("handles accents and other scripts, and bounds the work", () => {
    expect(planSearch("Envía Ñandú")?.fullText).toEqual(["envía", "ñandú"]);
    const huge = planSearch(Array.from({ length: 50 }, (_, i) => `word${i}`).join(" "));
    expect(huge?.fullText).toHaveLength(8);
    expect(planSearch("x".repeat(500))?.fullText[0]).toHaveLength(40);
  });
});
