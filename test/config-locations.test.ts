// Where a stack file's entries are written (core/config/locations.ts), and which entry a finding
// comes from (core/config/locate.ts).
import { describe, expect, it } from "vitest";
import { TYPES } from "../core/azure";
import { locateFinding, parseLocatedConfig, type SourceLocation } from "../core/config";
import { declaredBaseline } from "../core/declared";
import type { Endpoint } from "../core/document";
import type { Finding } from "../core/engine";
import { normalize } from "../core/normalize";
import { engine, stackResource } from "./support";

const FILE = "stacks/Pulumi.acme.yaml";

/** Every kind of entry a finding can be about, each at a known line and column. */
const STACK = `config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    engine: antimalware
    appliesTo: windows
    exclusions:
      paths: ['C:\\Temp', 'D:\\SQLData']
      processes:
        - sqlservr.exe
  steward:updateRings:
    - { name: pilot, order: 1, patchTuesdayOffsetDays: 1 }
    - name: broad
      order: 2
      patchTuesdayOffsetDays: 7
  steward:endpoints:
    - name: acme-web01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: pilot
    - { name: acme-nas01, kind: arc-machine, os: linux, resourceGroup: rg-acme-arc, ring: broad }
  steward:waivers:
    - policy: endpoint-reports
      resource: /subscriptions/11111111-2222-4333-8444-555555555555/resourcegroups/rg-acme-arc/providers/microsoft.hybridcompute/machines/acme-nas01
      reason: agent rollout (CHG-12)
      approver: Dana Whitfield
      created: "2026-11-20"
      expires: "2027-01-31"
    - { policy: managed-tags, resource: "*", reason: tag migration, approver: Dana Whitfield, created: "2026-01-05", expires: "2026-02-01" }
  steward:policy:
    enforcement:
      rings-staged: mandatory
      patch-orchestration: { level: advisory, reason: own tooling, approver: Dana Whitfield, created: "2026-06-01", expires: "2026-07-01" }
    minimumHandlerVersions:
      IaaSAntimalware: "1.5"
`;

const at = (line: number, column: number): SourceLocation => ({ file: FILE, line, column });

describe("the locations of a stack file's entries", () => {
  it("each entry a finding can be about: list items where they start, keyed entries at their key", () => {
    expect(parseLocatedConfig(STACK, FILE).locations).toEqual({
      client: at(2, 3),
      antivirus: at(9, 3),
      antivirusExclusions: { paths: [at(13, 15), at(13, 26)], extensions: [], processes: [at(15, 11)] },
      updateRings: [at(17, 7), at(18, 7)],
      endpoints: [at(22, 7), at(27, 7)],
      waivers: [at(29, 7), at(35, 7)],
      enforcement: new Map([
        ["rings-staged", at(38, 7)],
        ["patch-orchestration", at(39, 7)],
      ]),
      minimumHandlerVersions: new Map([["IaaSAntimalware", at(41, 7)]]),
    });
  });

  it("what the file does not write has no location: the default rings, a steward:antivirus left out", () => {
    const minimal = STACK.slice(0, STACK.indexOf("  steward:antivirus:")) + STACK.slice(STACK.indexOf("  steward:endpoints:"), STACK.indexOf("  steward:waivers:"));
    const { config, locations } = parseLocatedConfig(minimal, FILE);
    expect(config.updateRings.map((ring) => ring.name)).toEqual(["pilot", "broad"]);
    expect(locations).toEqual({
      client: at(2, 3),
      antivirusExclusions: { paths: [], extensions: [], processes: [] },
      updateRings: [],
      endpoints: [at(10, 7), at(15, 7)],
      waivers: [],
      enforcement: new Map(),
      minimumHandlerVersions: new Map(),
    });
  });
});

/** The stack: the declared acme-web01 (its name and group written in other case), with a Microsoft
 *  Antimalware extension that is outdated and excludes C:\Temp and .ps1; the pilot ring's
 *  maintenance configuration; a VM the client does not declare. acme-nas01 is declared only. */
const RESOURCES = [
  stackResource(TYPES.vm, "acme-web01", { vmName: "ACME-WEB01", resourceGroupName: "RG-ACME", storageProfile: { osDisk: { osType: "Windows" } } }),
  stackResource(TYPES.vmExtension, "acme-web01-antivirus", {
    vmName: "ACME-WEB01",
    resourceGroupName: "RG-ACME",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    autoUpgradeMinorVersion: true,
    settings: {
      AntimalwareEnabled: true,
      RealtimeProtectionEnabled: "true",
      ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" },
      Exclusions: { Paths: "C:\\Temp;D:\\SQLData", Extensions: ".ps1", Processes: "sqlservr.exe" },
    },
    tags: { client: "acme", "managed-by": "steward" },
  }),
  stackResource(TYPES.maintenanceConfiguration, "acme-ring-pilot", {
    resourceName: "acme-pilot",
    resourceGroupName: "rg-acme-steward",
    maintenanceScope: "InGuestPatch",
    installPatches: { rebootSetting: "IfRequired", windowsParameters: { classificationsToInclude: ["Critical", "Security"] } },
    duration: "03:00",
    recurEvery: "Month Second Tuesday Offset1",
    startDateTime: "2026-01-01 02:00",
    timeZone: "UTC",
    tags: { client: "acme", "managed-by": "steward", ring: "pilot" },
  }),
  stackResource(TYPES.vm, "stray01", { vmName: "stray01", resourceGroupName: "rg-acme", storageProfile: { osDisk: { osType: "Linux" } } }),
];

/** The stack judged for the client of `text`, as the gate judges a preview. */
function evaluate(text: string) {
  const located = parseLocatedConfig(text, FILE);
  const { config } = located;
  const document = normalize({
    source: "preview",
    stack: { project: "steward", stack: "acme", client: config.client.id },
    evaluatedAt: "2026-11-30T12:00:00Z",
    resources: RESOURCES,
    baseline: declaredBaseline(config),
    waivers: config.waivers,
    settings: config.policy,
  });
  const findings = engine().evaluate(document).findings;
  const where = (finding: Finding) => {
    const location = locateFinding(finding, document, located);
    return location === undefined ? "none" : `${location.file}:${location.line}:${location.column}`;
  };
  return { located, document, findings, where };
}

/** The last part of a URN or ARM id. */
const named = (urn: string) => urn.split(/::|\//).at(-1) as string;

describe("locateFinding: the stack-file entry behind a finding", () => {
  it("every finding of the stack, by rule: waiver, override, endpoint (and what is attached to it), ring, or none", () => {
    const { findings, where } = evaluate(STACK);
    expect(findings.map((finding) => `${finding.policy} ${named(finding.urn)}${finding.waiver ? " (waived)" : ""} -> ${where(finding)}`).sort()).toEqual([
      // Declared only (its urn is its ARM id): its entry.
      `antivirus-installed acme-nas01 -> ${FILE}:27:7`,
      // A machine the client does not declare.
      "antivirus-installed stray01 -> none",
      // The exclusion entry the finding quotes; .ps1 is not in the file: steward:antivirus.
      `antivirus-safe-exclusions acme-web01-antivirus -> ${FILE}:13:15`,
      `antivirus-safe-exclusions acme-web01-antivirus -> ${FILE}:9:3`,
      // On the extension attached to acme-web01: the endpoint.
      `antivirus-up-to-date acme-web01-antivirus -> ${FILE}:22:7`,
      `endpoint-in-one-ring acme-nas01 -> ${FILE}:27:7`,
      // Declared and in the stack as ACME-WEB01 in RG-ACME: names and groups ignore case.
      `endpoint-in-one-ring acme-web01 -> ${FILE}:22:7`,
      "endpoint-in-one-ring stray01 -> none",
      // Waived: the waiver, not the endpoint.
      `endpoint-reports acme-nas01 (waived) -> ${FILE}:29:7`,
      `endpoint-reports acme-nas01 (waived) -> ${FILE}:29:7`,
      `endpoint-reports acme-web01 -> ${FILE}:22:7`,
      `endpoint-reports acme-web01 -> ${FILE}:22:7`,
      "endpoint-reports stray01 -> none",
      "endpoint-reports stray01 -> none",
      `managed-tags acme-web01 -> ${FILE}:22:7`,
      "managed-tags stray01 -> none",
      `patch-orchestration acme-web01 -> ${FILE}:22:7`,
      `patch-orchestration acme-web01 -> ${FILE}:22:7`,
      `patch-orchestration acme-web01 -> ${FILE}:22:7`,
      "patch-orchestration stray01 -> none",
      "patch-orchestration stray01 -> none",
      "patch-orchestration stray01 -> none",
      `patch-orchestration-unverified acme-nas01 -> ${FILE}:27:7`,
      // The maintenance configuration of the pilot ring: the ring.
      `rings-staged acme-ring-pilot -> ${FILE}:17:7`,
      // The stack as a whole.
      "threat-alerts-routed acme -> none",
      // The expired waiver (named by its index in the message) and the expired override.
      `waivers-valid * -> ${FILE}:35:7`,
      `waivers-valid enforcement:patch-orchestration -> ${FILE}:39:7`,
    ]);
  });

  it("an exclusion finding: the entry its message quotes", () => {
    const { findings, where } = evaluate(STACK);
    expect(findings.filter((finding) => finding.policy === "antivirus-safe-exclusions").map((finding) => [where(finding), finding.message])).toEqual([
      [
        `${FILE}:9:3`,
        `Microsoft Antimalware extension "acme-web01-antivirus" on "ACME-WEB01" excludes file extension ".ps1": never exclude a file type used in attacks`,
      ],
      [`${FILE}:13:15`, `Microsoft Antimalware extension "acme-web01-antivirus" on "ACME-WEB01" excludes path "C:\\\\Temp": never exclude a temporary folder`],
    ]);
  });

  it("what the file does not write: a default ring is no entry, exclusions without steward:antivirus point at the endpoint", () => {
    const minimal = STACK.slice(0, STACK.indexOf("  steward:antivirus:")) + STACK.slice(STACK.indexOf("  steward:endpoints:"), STACK.indexOf("  steward:waivers:"));
    const { findings, where } = evaluate(minimal);
    const about = (urn: string) => findings.filter((finding) => named(finding.urn) === urn).map((finding) => `${finding.policy} -> ${where(finding)}`);
    expect(about("acme-ring-pilot")).toEqual(["rings-staged -> none"]);
    expect(about("acme-web01-antivirus")).toEqual([
      `antivirus-safe-exclusions -> ${FILE}:10:7`,
      `antivirus-safe-exclusions -> ${FILE}:10:7`,
    ]);
  });

  it("a resource attached to several endpoints has no one entry behind it", () => {
    const { document, findings, located } = evaluate(STACK);
    const web = document.endpoints.find((endpoint) => endpoint.name === "ACME-WEB01");
    const nas = document.endpoints.find((endpoint) => endpoint.name === "acme-nas01");
    const finding = findings.find((candidate) => candidate.policy === "antivirus-up-to-date");
    if (!web || !nas || !finding) throw new Error("the stack lost an endpoint or its outdated extension");
    // A resource group's ring assignment reaches every machine in the group.
    const assignment = {
      urn: "urn:pulumi:acme::steward::azure-native:maintenance:ConfigurationAssignmentsForResourceGroup::rg-ring",
      type: TYPES.assignmentForResourceGroup,
      scope: "resource-group" as const,
      ring: null,
    };
    const attachedTo = (owners: Endpoint[]) => ({
      ...document,
      endpoints: document.endpoints.map((endpoint) => (owners.includes(endpoint) ? { ...endpoint, ringAssignments: [assignment] } : endpoint)),
    });
    const onAssignment = { ...finding, urn: assignment.urn };
    expect(locateFinding(onAssignment, attachedTo([web, nas]), located)).toBeUndefined();
    expect(locateFinding(onAssignment, attachedTo([web]), located)).toEqual(at(22, 7));
  });
});
