import { describe, expect, it } from "vitest";
import { MAX_SELECTED_IDS, parseBulkSelection, selectionParams } from "./selection";

describe("the bulk selection from the queue's form", () => {
  it("reads ticked requests, sorted and without repeats", () => {
    expect(parseBulkSelection({ request: ["12", "3", "12"] })).toEqual({ kind: "ids", ids: [3, 12] });
    expect(parseBulkSelection({ request: "7" })).toEqual({ kind: "ids", ids: [7] });
  });

  it("reads 'all matching' with the view's filter, topic and search (cleaned as the queue cleans them)", () => {
    expect(parseBulkSelection({ all: "1", filter: "waiting", topic: "card", q: "  refund\u0007 " })).toEqual({
      kind: "query",
      query: { filter: "waiting", topic: "card", q: "refund" },
    });
    expect(parseBulkSelection({ all: "1", filter: "nonsense", topic: "weather" })).toEqual({ kind: "query", query: { filter: "open" } });
  });

  it("refuses nothing selected, a bad id, or too many ids", () => {
    expect(parseBulkSelection({})).toBeNull();
    expect(parseBulkSelection({ request: ["1", "x"] })).toBeNull();
    expect(parseBulkSelection({ request: ["0"] })).toBeNull();
    expect(parseBulkSelection({ request: Array.from({ length: MAX_SELECTED_IDS + 1 }, (_, i) => String(i + 1)) })).toBeNull();
  });

  it("round-trips through URL parameters", () => {
    for (const selection of [
      { kind: "ids" as const, ids: [4, 9] },
      { kind: "query" as const, query: { filter: "open" as const, topic: "data" as const, q: "delete my account" } },
    ]) {
      const params = selectionParams(selection);
      const back: Record<string, string | string[]> = {};
      for (const key of new Set(params.keys())) back[key] = key === "request" ? params.getAll(key) : params.get(key)!;
      expect(parseBulkSelection(back)).toEqual(selection);
    }
  });
});
