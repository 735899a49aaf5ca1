/**
 * The report's calendar: reporting periods and which are due on a day, and the real dates of each
 * update ring's maintenance windows. Days are UTC calendar days written YYYY-MM-DD; ring windows
 * are local wall-clock times in the ring's time zone, converted with the IANA zone the ring's
 * Windows time zone name maps to (Node's Intl knows IANA zones only).
 */
import { findIana } from "windows-iana";
import type { UpdateRingSettings } from "../config/client-config";
import type { ReportingPeriod, RingWindow } from "./types";

export type Schedule = ReportingPeriod["schedule"];

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD day; NaN when it is not a real day. */
export function dayNumber(day: string): number {
  const match = DAY.exec(day);
  if (!match) return Number.NaN;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2026-02-30 over into March: such a day is not a day.
  return new Date(time).getUTCDate() === date ? time / DAY_MS : Number.NaN;
}

/** The YYYY-MM-DD of a day number. */
export const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The UTC day of an instant. */
export const utcDay = (time: Date): string => time.toISOString().slice(0, 10);

/** 0 = Sunday ... 6 = Saturday. */
const weekday = (day: number): number => new Date(day * DAY_MS).getUTCDay();

const parts = (day: number) => {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, date: date.getUTCDate() };
};

const monthStart = (year: number, month: number): number => Date.UTC(year, month - 1, 1) / DAY_MS;

/** ISO 8601 week: weeks start on Monday, and week 1 holds the year's first Thursday. */
function isoWeek(day: number): { year: number; week: number } {
  const thursday = day - ((weekday(day) + 6) % 7) + 3;
  const { year } = parts(thursday);
  return { year, week: Math.floor((thursday - monthStart(year, 1)) / 7) + 1 };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** The period of a schedule that holds a day: its first and last day and its label. */
function periodOf(schedule: Schedule, day: number): Pick<ReportingPeriod, "label" | "start" | "end"> & { first: number; last: number } {
  const { year, month } = parts(day);
  let first: number;
  let last: number;
  let label: string;
  if (schedule === "weekly") {
    first = day - ((weekday(day) + 6) % 7);
    last = first + 6;
    const iso = isoWeek(day);
    label = `${iso.year}-W${pad(iso.week)}`;
  } else if (schedule === "monthly") {
    first = monthStart(year, month);
    last = monthStart(year, month + 1) - 1;
    label = `${year}-${pad(month)}`;
  } else {
    const quarter = Math.floor((month - 1) / 3);
    first = monthStart(year, quarter * 3 + 1);
    last = monthStart(year, quarter * 3 + 4) - 1;
    label = `${year}-Q${quarter + 1}`;
  }
  return { label, start: dayText(first), end: dayText(last), first, last };
}

/** The period still running on `day` (a report written before it is due). */
export function currentPeriod(schedule: Schedule, day: string): ReportingPeriod {
  const { first, last, ...period } = periodOf(schedule, dayNumber(day));
  return { schedule, ...period, due: dayText(last + 1), complete: false };
}

/**
 * The period whose report is due on `day`, or null when none is: weekly reports are due on
 * Mondays (for the previous Monday to Sunday), monthly ones on the 1st (the previous month),
 * quarterly ones on 1 January, April, July and October (the previous quarter).
 */
export function duePeriod(schedule: Schedule, day: string): ReportingPeriod | null {
  const number = dayNumber(day);
  const { month, date } = parts(number);
  const due = schedule === "weekly" ? weekday(number) === 1 : date === 1 && (schedule === "monthly" || (month - 1) % 3 === 0);
  if (!due) return null;
  const { first, last, ...period } = periodOf(schedule, number - 1);
  return { schedule, ...period, due: day, complete: true };
}

/** The second Tuesday of a month, as a day number. */
export function patchTuesday(year: number, month: number): number {
  const first = monthStart(year, month);
  return first + ((2 - weekday(first) + 7) % 7) + 7;
}

/** The IANA zone a Windows time zone name stands for (CLDR's windowsZones, territory 001); null when unknown. */
export function ianaZone(windowsZone: string): string | null {
  return findIana(windowsZone, "001")[0] ?? null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a zone. */
function wallClock(time: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    formatters.set(zone, format);
  }
  const fields = Object.fromEntries(format.formatToParts(new Date(time)).map((part) => [part.type, part.value]));
  return { year: Number(fields.year), month: Number(fields.month), day: Number(fields.day), hour: Number(fields.hour), minute: Number(fields.minute) };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(time: number, zone: string): number {
  const wall = wallClock(time, zone);
  return (Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - Math.floor(time / 60_000) * 60_000) / 60_000;
}

/**
 * The instant a local wall-clock time names in a zone. A time skipped when clocks go forward
 * is taken with the offset before the change (02:30 on a spring-forward night is 03:30 summer
 * time), and a time that happens twice when they go back as its first occurrence, so every
 * window has exactly one start.
 */
function localToInstant(day: number, minuteOfDay: number, zone: string): number {
  const wall = day * DAY_MS + minuteOfDay * 60_000;
  const before = offsetMinutes(wall - DAY_MS / 2, zone);
  const after = offsetMinutes(wall + DAY_MS / 2, zone);
  // The earlier offset first: it gives the first occurrence of a repeated time, and a skipped time
  // read with it lands after the change.
  for (const offset of [before, after]) {
    const time = wall - offset * 60_000;
    if (offsetMinutes(time, zone) === offset) return time;
  }
  return wall - before * 60_000;
}

const minutesOf = (time: string): number => {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
};

function localText(time: number, zone: string): string {
  const wall = wallClock(time, zone);
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const size = Math.abs(minutes);
  return `${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}

const instantText = (time: number): string => new Date(time).toISOString().replace(".000Z", "Z");

/**
 * A ring's maintenance windows that open on a local day from `from` to `to` (YYYY-MM-DD,
 * inclusive): each month's Patch Tuesday plus the ring's offset, at its start time in its zone,
 * for its duration. A window can fall in the month after its Patch Tuesday (the 14th plus 20 days),
 * so the month before `from` is counted from too.
 */
export function ringWindows(ring: Pick<UpdateRingSettings, "patchTuesdayOffsetDays" | "startTime" | "duration">, zone: string, from: string, to: string): RingWindow[] {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const windows: RingWindow[] = [];
  const start = parts(first);
  for (let month = start.month - 1; monthStart(start.year, month) <= last; month++) {
    const tuesday = patchTuesday(start.year, month);
    const day = tuesday + ring.patchTuesdayOffsetDays;
    if (day < first || day > last) continue;
    const opens = localToInstant(day, minutesOf(ring.startTime), zone);
    const closes = opens + minutesOf(ring.duration) * 60_000;
    windows.push({
      patchTuesday: dayText(tuesday),
      startLocal: localText(opens, zone),
      endLocal: localText(closes, zone),
      startUtc: instantText(opens),
      endUtc: instantText(closes),
      utcOffset: offsetText(offsetMinutes(opens, zone)),
    });
  }
  return windows;
}

/** The last day of the month that starts on `from`: the same day a month later, less one (the 31st of a short month: its last day). */
export function monthAfter(from: string): string {
  const { year, month, date } = parts(dayNumber(from));
  const nextMonthLength = monthStart(year, month + 2) - monthStart(year, month + 1);
  return dayText(monthStart(year, month + 1) + Math.min(date, nextMonthLength) - 2);
}
