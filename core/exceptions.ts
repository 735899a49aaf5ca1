import type { Enforcement, Severity, StewardInput, Waiver } from "./document";
import type { Evaluation, PolicyDescriptor } from "./engine";

/**
 * Which policies are not fully enforced for a client, and why: every report (check, gate in each
 * format, drift, coverage) shows this list, computed here and only here.
 *
 * A policy is not fully enforced when an applied enforcement override lowers it (mandatory to
 * advisory or disabled, advisory to disabled), or when a valid waiver on every resource (`*`)
 * covers a critical policy. Which overrides and waivers are applied is the policies' judgement
 * (policies/lib/waivers, returned as `Evaluation.exceptions`): this only lists and counts it.
 */
export interface NotFullyEnforced {
  policy: string;
  title: string;
  severity: Severity;
  /** The policy's own enforcement (its METADATA). */
  defaultEnforcement: Exclude<Enforcement, "disabled">;
  /** What the client has instead: `advisory` or `disabled` (an override), or `waived` (a waiver on `*`). */
  level: "advisory" | "disabled" | "waived";
  /** `*` for a waiver on every resource; null for an override. */
  resource: "*" | null;
  reason: string;
  approver: string;
  created: string | null;
  /** The last day it applies (UTC). */
  expires: string;
  /** Whole days it still applies after the evaluation's day (UTC): 0 on its last day. */
  daysLeft: number;
  /** Findings it affects in this evaluation: reported as advisory instead of blocking (advisory),
   *  or not reported at all (disabled), or waived (a waiver on `*`). */
  findings: number;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or of an RFC 3339 time's UTC day. */
const utcDay = (time: string): number => Math.floor(Date.parse(time.length === 10 ? `${time}T00:00:00Z` : time) / DAY_MS);

const waiverKey = (waiver: Waiver): string =>
  JSON.stringify([waiver.policy, waiver.resource, waiver.reason, waiver.approver, waiver.created ?? null, waiver.expires]);

/**
 * The policies not fully enforced for the client of `document`, as `evaluation` (of that document)
 * applied its overrides and waivers: the overrides first, then the waivers on `*`, each by policy id.
 */
export function notFullyEnforced(
  document: Pick<StewardInput, "evaluatedAt" | "settings" | "waivers">,
  evaluation: Pick<Evaluation, "findings" | "exceptions">,
  catalog: Readonly<Record<string, PolicyDescriptor>>,
): NotFullyEnforced[] {
  const today = utcDay(document.evaluatedAt);
  const daysLeft = (expires: string) => utcDay(expires) - today;
  const list: NotFullyEnforced[] = [];
  const ids = Object.keys(catalog).sort();

  for (const id of ids) {
    const descriptor = catalog[id] as PolicyDescriptor;
    const effective = evaluation.exceptions.enforcement[id];
    const override = document.settings.enforcement[id];
    if (override === undefined || (effective !== "advisory" && effective !== "disabled") || effective === descriptor.enforcement) continue;
    // Applied and lowering: the policies checked its reason, approver and dates.
    const findings =
      effective === "disabled"
        ? (evaluation.exceptions.disabledFindings[id] ?? 0)
        : evaluation.findings.filter((finding) => finding.policy === id && finding.waiver === null).length;
    list.push({
      policy: id,
      title: descriptor.title,
      severity: descriptor.severity,
      defaultEnforcement: descriptor.enforcement,
      level: effective,
      resource: null,
      reason: override.reason ?? "",
      approver: override.approver ?? "",
      created: override.created ?? null,
      expires: override.expires ?? "",
      daysLeft: daysLeft(override.expires ?? ""),
      findings,
    });
  }

  const waived = new Map<string, number>();
  for (const finding of evaluation.findings) {
    if (finding.waiver) waived.set(waiverKey(finding.waiver), (waived.get(waiverKey(finding.waiver)) ?? 0) + 1);
  }
  const everywhere = evaluation.exceptions.validWaivers
    .map((index) => document.waivers[index])
    .filter((waiver): waiver is Waiver => waiver !== undefined && waiver.resource === "*" && catalog[waiver.policy]?.severity === "critical")
    .sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : a.expires < b.expires ? -1 : a.expires > b.expires ? 1 : 0));
  for (const waiver of everywhere) {
    const descriptor = catalog[waiver.policy] as PolicyDescriptor;
    list.push({
      policy: waiver.policy,
      title: descriptor.title,
      severity: descriptor.severity,
      defaultEnforcement: descriptor.enforcement,
      level: "waived",
      resource: "*",
      reason: waiver.reason,
      approver: waiver.approver,
      created: waiver.created ?? null,
      expires: waiver.expires,
      daysLeft: daysLeft(waiver.expires),
      findings: waived.get(waiverKey(waiver)) ?? 0,
    });
  }
  return list;
}

/** The heading every report puts above the policies not fully enforced for a client. */
export const NOT_FULLY_ENFORCED = "Not fully enforced for this client";

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** What an override or waiver does to a policy, in a few words: "advisory instead of mandatory". */
export function exceptionLevel(entry: NotFullyEnforced): string {
  return entry.level === "waived" ? "waived on every resource (*)" : `${entry.level} instead of ${entry.defaultEnforcement}`;
}

/** "77 days left", "1 day left", "its last day". */
export function daysLeftText(entry: NotFullyEnforced): string {
  return entry.daysLeft <= 0 ? "its last day" : `${count(entry.daysLeft, "day")} left`;
}

/** What it does to this evaluation's findings: "3 findings do not block", "hides 1 finding". */
export function exceptionEffect(entry: NotFullyEnforced): string {
  if (entry.level === "advisory") return `${count(entry.findings, "finding")} ${entry.findings === 1 ? "does" : "do"} not block`;
  return `hides ${count(entry.findings, "finding")}`;
}

/**
 * One policy not fully enforced, as one line of text (the same words in every format):
 * `patch-orchestration (high): advisory instead of mandatory until 2027-02-15 (77 days left);
 * 3 findings do not block; approved by Dana Whitfield: <reason>`.
 */
export function exceptionText(entry: NotFullyEnforced): string {
  return (
    `${entry.policy} (${entry.severity}): ${exceptionLevel(entry)} until ${entry.expires} (${daysLeftText(entry)}); ` +
    `${exceptionEffect(entry)}; approved by ${entry.approver}: ${entry.reason}`
  );
}
