/** Which entry of a client's stack file a finding comes from. */
import type { Endpoint, StewardInput, Waiver } from "../document";
import type { Finding } from "../engine";
import { WAIVERS_VALID } from "./checks";
import type { LocatedConfig } from "./load";
import type { SourceLocation } from "./locations";

/** The subjects of waivers-valid's findings (policies/rules/waivers_valid). */
const WAIVER_TYPE = "steward:waiver";
const OVERRIDE_TYPE = "steward:enforcement-override";
const OVERRIDE_URN_PREFIX = "enforcement:";

/** The policy that judges exclusion entries, and how its messages name each list
 *  (policies/rules/antivirus_safe_exclusions `_kinds`). */
const SAFE_EXCLUSIONS = "antivirus-safe-exclusions";
const EXCLUSION_WORDS = [
  ["paths", "path"],
  ["extensions", "file extension"],
  ["processes", "process"],
] as const;

/**
 * The stack-file entry behind `finding`, from an evaluation of `document` for the client of
 * `located`: where an editor or a code-scanning annotation should point. The first rule that
 * applies decides:
 *
 * 1. a waivers-valid finding is about a waiver or an enforcement override, never a resource: that
 *    waiver (the message names it by its index in `document.waivers`) or override (its subject is
 *    `enforcement:<policy id>`), and nothing else;
 * 2. a waived finding: the waiver that covers it;
 * 3. an antivirus-safe-exclusions finding: the exclusion entry its message quotes, else the
 *    `steward:antivirus` key (the exclusions were not written as one entry each, or the finding is
 *    about the settings as a whole); when the file writes no `steward:antivirus`, the rules below;
 * 4. a finding on an endpoint the client declares (the document's endpoint has origin
 *    `declared`), or on a baseline resource attached to exactly one endpoint, a declared one (an
 *    extension, a data collection rule association, a ring assignment): that endpoint's entry,
 *    matched by kind, name and resource group, ignoring case as Azure does;
 * 5. a finding on a maintenance configuration of a ring the file writes: that ring, matched by
 *    name ignoring case.
 *
 * A waiver or override is matched by its content, so `document` need not list the file's waivers
 * at the same indexes; one the file does not write locates nothing (a waived finding then falls to
 * the rules after 2). Undefined when no rule applies: a finding on what the client does not
 * declare (a machine of the stack alone, the stack as a whole) or on a default ring (the file
 * writes none). Pure: it reads its arguments only.
 */
export function locateFinding(
  finding: Pick<Finding, "policy" | "type" | "urn" | "message" | "waiver">,
  document: Pick<StewardInput, "endpoints" | "extensions" | "rings" | "waivers">,
  located: LocatedConfig,
): SourceLocation | undefined {
  if (finding.policy === WAIVERS_VALID) {
    const waiver = reportedWaiver(finding, document);
    return waiver === undefined ? overrideEntry(finding, located) : waiverEntry(waiver, located);
  }
  return (
    (finding.waiver === null ? undefined : waiverEntry(finding.waiver, located)) ??
    exclusionEntry(finding, located) ??
    endpointEntry(finding, document, located) ??
    ringEntry(finding, document, located)
  );
}

type Subject = Parameters<typeof locateFinding>[0];
type Document = Parameters<typeof locateFinding>[1];

function waiverEntry(waiver: Waiver, { config, locations }: LocatedConfig): SourceLocation | undefined {
  const index = config.waivers.findIndex((written) => sameWaiver(written, waiver));
  return index < 0 ? undefined : locations.waivers[index];
}

/** The waiver a waivers-valid finding reports: its message starts `waiver <index> for`, and its
 *  subject is the waiver's resource (or `waiver:<index>` when it names none). */
function reportedWaiver(finding: Subject, document: Document): Waiver | undefined {
  if (finding.type !== WAIVER_TYPE) return undefined;
  const index = /^waiver (\d+) for /.exec(finding.message)?.[1];
  const waiver = index === undefined ? undefined : document.waivers[Number(index)];
  return waiver && (finding.urn === waiver.resource || finding.urn === `waiver:${index}`) ? waiver : undefined;
}

function sameWaiver(a: Waiver, b: Waiver): boolean {
  return (
    a.policy === b.policy &&
    a.resource === b.resource &&
    a.reason === b.reason &&
    a.approver === b.approver &&
    (a.created ?? null) === (b.created ?? null) &&
    a.expires === b.expires
  );
}

function overrideEntry(finding: Subject, { locations }: LocatedConfig): SourceLocation | undefined {
  if (finding.type !== OVERRIDE_TYPE || !finding.urn.startsWith(OVERRIDE_URN_PREFIX)) return undefined;
  return locations.enforcement.get(finding.urn.slice(OVERRIDE_URN_PREFIX.length));
}

/** The entry the message quotes as written (trimmed, as the normalizer resolves entries). */
function exclusionEntry(finding: Subject, { config, locations }: LocatedConfig): SourceLocation | undefined {
  if (finding.policy !== SAFE_EXCLUSIONS) return undefined;
  for (const [list, words] of EXCLUSION_WORDS) {
    const index = config.antivirus.exclusions[list].findIndex((entry) => finding.message.includes(`excludes ${words} ${JSON.stringify(entry.trim())}`));
    if (index >= 0) return locations.antivirusExclusions[list][index];
  }
  return locations.antivirus;
}

function endpointEntry(finding: Subject, document: Document, { config, locations }: LocatedConfig): SourceLocation | undefined {
  const endpoint = document.endpoints.find((candidate) => candidate.urn === finding.urn) ?? attachedTo(finding.urn, document);
  if (!endpoint?.origins.includes("declared")) return undefined;
  const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();
  const index = config.endpoints.findIndex(
    (declared) => declared.kind === endpoint.kind && same(endpoint.name, declared.name) && same(endpoint.resourceGroup, declared.resourceGroup),
  );
  return index < 0 ? undefined : locations.endpoints[index];
}

/** The one endpoint a baseline resource is attached to; none when it is attached to several
 *  (a resource group's ring assignment), since no one entry is behind it then. */
function attachedTo(urn: string, document: Document): Endpoint | undefined {
  const owners = new Set<string>();
  for (const extension of document.extensions) {
    if (extension.urn === urn && extension.endpoint !== null) owners.add(extension.endpoint);
  }
  for (const endpoint of document.endpoints) {
    const attached = [...endpoint.antivirus, ...endpoint.monitoringAgents, ...endpoint.dataCollectionRuleAssociations, ...endpoint.ringAssignments];
    if (attached.some((resource) => resource.urn === urn)) owners.add(endpoint.urn);
  }
  const [owner] = owners;
  return owners.size === 1 ? document.endpoints.find((endpoint) => endpoint.urn === owner) : undefined;
}

function ringEntry(finding: Subject, document: Document, { config, locations }: LocatedConfig): SourceLocation | undefined {
  const ring = document.rings.find((candidate) => candidate.urn === finding.urn);
  if (!ring) return undefined;
  const index = config.updateRings.findIndex((written) => written.name.toLowerCase() === ring.name.toLowerCase());
  return index < 0 ? undefined : locations.updateRings[index];
}
