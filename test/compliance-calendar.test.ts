import { describe, expect, it } from "vitest";
import { currentPeriod, duePeriod, ianaZone, monthAfter, patchTuesday, ringWindows } from "../core/compliance";
import { dayText } from "../core/compliance/calendar";

const ring = (patchTuesdayOffsetDays: number, startTime = "22:00", duration = "03:55") => ({ patchTuesdayOffsetDays, startTime, duration });

describe("Patch Tuesday", () => {
  it("is the second Tuesday of the month", () => {
    expect([patchTuesday(2026, 9), patchTuesday(2026, 10), patchTuesday(2026, 11), patchTuesday(2026, 12), patchTuesday(2027, 1)].map(dayText)).toEqual([
      "2026-09-08",
      "2026-10-13",
      "2026-11-10",
      "2026-12-08",
      "2027-01-12",
    ]);
  });
});

describe("ring windows", () => {
  it("maps Windows time zone names to IANA zones, and knows when it does not know one", () => {
    expect(["UTC", "GMT Standard Time", "Eastern Standard Time", "W. Europe Standard Time", "Mars Standard Time"].map(ianaZone)).toEqual([
      "Etc/UTC",
      "Europe/London",
      "America/New_York",
      "Europe/Berlin",
      null,
    ]);
  });

  it("gives local and UTC times on both sides of a change of daylight saving time", () => {
    // London leaves summer time on 25 October 2026: the 14 October window is BST, the 2 November one GMT.
    expect(ringWindows(ring(1), "Europe/London", "2026-10-01", "2026-10-31")).toEqual([
      { patchTuesday: "2026-10-13", startLocal: "2026-10-14T22:00", endLocal: "2026-10-15T01:55", startUtc: "2026-10-14T21:00:00Z", endUtc: "2026-10-15T00:55:00Z", utcOffset: "+01:00" },
    ]);
    expect(ringWindows(ring(20), "Europe/London", "2026-11-01", "2026-11-29")).toEqual([
      { patchTuesday: "2026-10-13", startLocal: "2026-11-02T22:00", endLocal: "2026-11-03T01:55", startUtc: "2026-11-02T22:00:00Z", endUtc: "2026-11-03T01:55:00Z", utcOffset: "+00:00" },
    ]);
  });

  it("counts a window that opens on the night clocks go back by elapsed time", () => {
    // 24 October 2026 is 11 days after Patch Tuesday; 22:00 BST + 3:55 ends at 00:55 GMT, after the 02:00 BST change.
    expect(ringWindows(ring(11, "23:30", "03:00"), "Europe/London", "2026-10-24", "2026-10-24")).toEqual([
      { patchTuesday: "2026-10-13", startLocal: "2026-10-24T23:30", endLocal: "2026-10-25T01:30", startUtc: "2026-10-24T22:30:00Z", endUtc: "2026-10-25T01:30:00Z", utcOffset: "+01:00" },
    ]);
  });

  it("puts a window whose offset crosses the month end in the next month, counted from its own Patch Tuesday", () => {
    // October's Patch Tuesday (13th) + 20 days is 2 November; November's (10th) + 20 is 30 November.
    expect(ringWindows(ring(20, "20:00"), "America/New_York", "2026-11-01", "2026-11-30").map((window) => [window.patchTuesday, window.startLocal, window.startUtc, window.utcOffset])).toEqual([
      ["2026-10-13", "2026-11-02T20:00", "2026-11-03T01:00:00Z", "-05:00"],
      ["2026-11-10", "2026-11-30T20:00", "2026-12-01T01:00:00Z", "-05:00"],
    ]);
  });

  it("spans a month from the report's day, the day before a month later inclusive", () => {
    expect([monthAfter("2026-11-30"), monthAfter("2026-12-01"), monthAfter("2027-01-31")]).toEqual(["2026-12-29", "2026-12-31", "2027-02-27"]);
  });
});

describe("reporting periods", () => {
  it("names the period still running on a day", () => {
    expect([currentPeriod("weekly", "2026-11-30"), currentPeriod("monthly", "2026-11-30"), currentPeriod("quarterly", "2026-11-30"), currentPeriod("weekly", "2027-01-01")]).toEqual([
      { schedule: "weekly", label: "2026-W49", start: "2026-11-30", end: "2026-12-06", due: "2026-12-07", complete: false },
      { schedule: "monthly", label: "2026-11", start: "2026-11-01", end: "2026-11-30", due: "2026-12-01", complete: false },
      { schedule: "quarterly", label: "2026-Q4", start: "2026-10-01", end: "2026-12-31", due: "2027-01-01", complete: false },
      // ISO weeks: 1 January 2027, a Friday, is in 2026's last week.
      { schedule: "weekly", label: "2026-W53", start: "2026-12-28", end: "2027-01-03", due: "2027-01-04", complete: false },
    ]);
  });

  it("is due on Mondays (weekly), the 1st (monthly) and the first day of a quarter (quarterly), for the period just ended", () => {
    const due = (day: string) => [duePeriod("weekly", day)?.label ?? null, duePeriod("monthly", day)?.label ?? null, duePeriod("quarterly", day)?.label ?? null];
    expect(due("2026-11-30")).toEqual(["2026-W48", null, null]); // a Monday
    expect(due("2026-12-01")).toEqual([null, "2026-11", null]); // a Tuesday, the 1st
    expect(due("2027-01-01")).toEqual([null, "2026-12", "2026-Q4"]); // a Friday, 1 January
    expect(due("2027-02-01")).toEqual(["2027-W04", "2027-01", null]); // a Monday, the 1st
    expect(due("2026-12-02")).toEqual([null, null, null]);
    expect(duePeriod("weekly", "2026-11-30")).toEqual({ schedule: "weekly", label: "2026-W48", start: "2026-11-23", end: "2026-11-29", due: "2026-11-30", complete: true });
  });
});
