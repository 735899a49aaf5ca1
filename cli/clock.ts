import { InputError } from "../core/errors";

/**
 * The time every command judges against (waiver and override expiry, ring expiry): now, or the
 * instant `STEWARD_NOW` names (RFC 3339), so a run can be reproduced, or a fleet checked as it
 * will stand on a later date ("which waivers lapse before the next review?").
 */
export function evaluationTime(): Date {
  const fixed = process.env.STEWARD_NOW;
  if (fixed === undefined || fixed === "") return new Date();
  const time = new Date(fixed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(fixed) || Number.isNaN(time.getTime())) {
    throw new InputError(`STEWARD_NOW is ${JSON.stringify(fixed)}; expected an RFC 3339 date or time such as 2026-11-30 or 2026-11-30T12:00:00Z`);
  }
  return time;
}
