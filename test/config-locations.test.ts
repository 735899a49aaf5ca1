// Where a stack file's entries are written (core/config/locations.ts), and which entry a finding
// comes from (core/config/locate.ts).
import { describe, expect, it } from "vitest";
import { parseLocatedConfig, type SourceLocation } from "../core/config";

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
