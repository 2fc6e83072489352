import { describe, expect, it } from "vitest";
import { defaultBusinessCalendar, ZCalendar } from "./calendar.js";
import { explainTimeline, type TimelineSegment } from "./explainTimeline.js";

const H = 3600;
const at = (iso: string) => new Date(iso);
const christmas = ZCalendar.parse({
  ...defaultBusinessCalendar("UTC"),
  holidays: [{ date: "2026-12-25", name: "Christmas" }, { date: "2026-12-24", from: "15:00", to: "24:00" }],
});

function brief(segments: TimelineSegment[]) {
  return segments.map((s) => ({
    from: s.from.toISOString().slice(5, 16),
    to: s.to.toISOString().slice(5, 16),
    kind: s.kind,
    seconds: s.seconds,
    ...(s.businessSeconds !== undefined ? { businessSeconds: s.businessSeconds } : {}),
    ...(s.holiday ? { holiday: s.holiday } : {}),
  }));
}

describe("explainTimeline", () => {
  it("tells running time, nights, weekends and holidays apart", () => {
    const segments = explainTimeline(at("2026-12-24T10:00:00Z"), at("2026-12-28T12:00:00Z"), [], christmas);
    expect(brief(segments)).toEqual([
      { from: "12-24T10:00", to: "12-24T15:00", kind: "running", seconds: 5 * H },
      { from: "12-24T15:00", to: "12-24T17:00", kind: "holiday", seconds: 2 * H },
      { from: "12-24T17:00", to: "12-25T09:00", kind: "outside_hours", seconds: 16 * H },
      { from: "12-25T09:00", to: "12-25T17:00", kind: "holiday", seconds: 8 * H, holiday: "Christmas" },
      { from: "12-25T17:00", to: "12-28T09:00", kind: "outside_hours", seconds: 64 * H },
      { from: "12-28T09:00", to: "12-28T12:00", kind: "running", seconds: 3 * H },
    ]);
  });

  it("shows a pause over a night and a holiday as one segment, with the work it held back", () => {
    const pauses = [
      { from: at("2026-12-24T11:00:00Z"), to: at("2026-12-28T10:00:00Z") },
      { from: at("2026-12-24T12:00:00Z"), to: at("2026-12-24T13:00:00Z") },
    ];
    const segments = explainTimeline(at("2026-12-24T10:00:00Z"), at("2026-12-28T12:00:00Z"), pauses, christmas);
    expect(brief(segments)).toEqual([
      { from: "12-24T10:00", to: "12-24T11:00", kind: "running", seconds: H },
      { from: "12-24T11:00", to: "12-28T10:00", kind: "paused", seconds: 95 * H, businessSeconds: 5 * H },
      { from: "12-28T10:00", to: "12-28T12:00", kind: "running", seconds: 2 * H },
    ]);
  });

  it("returns nothing for an empty or reversed range", () => {
    expect(explainTimeline(at("2026-12-24T10:00:00Z"), at("2026-12-24T10:00:00.999Z"), [], christmas)).toEqual([]);
    expect(explainTimeline(at("2026-12-24T10:00:00Z"), at("2026-12-23T10:00:00Z"), [], christmas)).toEqual([]);
  });
});
