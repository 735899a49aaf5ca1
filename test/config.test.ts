import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadClientConfig, parseClientConfig, type ClientConfig, type UpdateRingSettings } from "../core/config";
import { ExitCode, InputError } from "../core/errors";
import schema from "../core/schema/client-config.schema.json";
import { fixtures, root } from "./support";

const FILE = "stacks/Pulumi.acme.yaml";

/** The problems of a stack file as `line:column: path: message`, in the order reported. */
function problems(text: string): string[] {
  try {
    parseClientConfig(text, FILE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => `${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`);
  }
  throw new Error("expected the configuration to be refused");
}

describe("a valid stack file", () => {
  it("gets every default: writing nothing gives a compliant baseline", () => {
    const text = `
config:
  azure-native:location: westeurope
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope:
      subscriptions: [11111111-2222-4333-8444-555555555555]
    contacts:
      msp: [{ name: Bluefin NOC, email: noc@bluefin-it.example }]
      client: [{ name: Ann Lee, email: ann@acme.example, phone: "+44 20 7946 0000" }]
    reporting:
      recipients: [it@acme.example]
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - name: acme-web01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: pilot
      role: web server
    - name: acme-nas01
      kind: arc-machine
      os: linux
      resourceGroup: rg-acme-arc
      ring: broad
secretsprovider: passphrase
encryptionsalt: v1:Zm9vYmFy:v1:YmF6:cXV4
`;
    const ring = (name: string, order: number, patchTuesdayOffsetDays: number): UpdateRingSettings => ({
      name,
      order,
      patchTuesdayOffsetDays,
      startTime: "02:00",
      duration: "03:00",
      timeZone: "UTC",
      classifications: { windows: ["Critical", "Security", "UpdateRollup", "Definition"], linux: ["Critical", "Security"] },
      reboot: "IfRequired",
      exclusions: { kbNumbers: [], packages: [] },
    });
    const expected: ClientConfig = {
      file: FILE,
      client: {
        id: "acme",
        displayName: "Acme Ltd",
        scope: { subscriptions: ["11111111-2222-4333-8444-555555555555"], resourceGroups: [] },
        managementModel: "msp-managed",
        responsibilities: { antivirus: "msp", patching: "msp", monitoring: "msp", reporting: "msp" },
        contacts: {
          msp: [{ name: "Bluefin NOC", email: "noc@bluefin-it.example" }],
          client: [{ name: "Ann Lee", email: "ann@acme.example", phone: "+44 20 7946 0000" }],
        },
        reporting: { schedule: "monthly", recipients: ["it@acme.example"] },
        location: "westeurope",
        resourceGroup: "rg-acme-steward",
      },
      antivirus: {
        engine: "defender-for-endpoint",
        appliesTo: "all",
        realtimeProtection: true,
        scheduledScan: { enabled: true, day: "saturday", time: "02:00", type: "quick" },
        exclusions: { paths: [], extensions: [], processes: [] },
        },
      updateRings: [ring("pilot", 1, 1), ring("broad", 2, 7)],
      endpoints: [
        {
          name: "acme-web01",
          kind: "azure-vm",
          os: "windows",
          resourceGroup: "rg-acme",
          subscriptionId: "11111111-2222-4333-8444-555555555555",
          ring: "pilot",
          role: "web server",
        },
        {
          name: "acme-nas01",
          kind: "arc-machine",
          os: "linux",
          resourceGroup: "rg-acme-arc",
          subscriptionId: "11111111-2222-4333-8444-555555555555",
          ring: "broad",
        },
      ],
      monitoring: { workspaceRetentionDays: 90 },
      waivers: [],
      policy: { enforcement: {}, minimumHandlerVersions: {} },
    };
    expect(parseClientConfig(text, FILE)).toEqual(expected);
  });

  it("defaults responsibilities by management model only", () => {
    const withModel = (model: string, responsibilities = "") => `
config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    managementModel: ${model}${responsibilities}
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`;
    expect(parseClientConfig(withModel("internally-managed"), FILE).client.responsibilities).toEqual({
      antivirus: "client",
      patching: "client",
      monitoring: "client",
      reporting: "client",
    });
    const coManaged = withModel("co-managed", "\n    responsibilities: { patching: client, monitoring: shared }");
    expect(parseClientConfig(coManaged, FILE).client.responsibilities).toEqual({
      antivirus: "msp",
      patching: "client",
      monitoring: "shared",
      reporting: "msp",
    });
  });

  it("keeps what is written over the defaults, field by field", () => {
    const config = parseClientConfig(
      `
config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555], resourceGroups: [rg-acme] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { schedule: weekly, recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    engine: antimalware
    scheduledScan: { day: sunday }
    exclusions: { extensions: [.mdf] }
  steward:updateRings:
    - { name: first, order: 1, patchTuesdayOffsetDays: 2, classifications: { linux: [Critical, Security, Other] } }
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: first }
  steward:policy:
    enforcement: { rings-staged: mandatory }
    maxWaiverDays: 30
`,
      FILE,
    );
    expect(config.client.reporting.schedule).toBe("weekly");
    expect(config.antivirus.scheduledScan).toEqual({ enabled: true, day: "sunday", time: "02:00", type: "quick" });
    expect(config.antivirus.exclusions).toEqual({ paths: [], extensions: [".mdf"], processes: [] });
    expect(config.updateRings.map((ring) => [ring.name, ring.classifications])).toEqual([
      ["first", { windows: ["Critical", "Security", "UpdateRollup", "Definition"], linux: ["Critical", "Security", "Other"] }],
    ]);
    expect(config.policy).toEqual({ enforcement: { "rings-staged": { level: "mandatory" } }, minimumHandlerVersions: {}, maxWaiverDays: 30 });
  });
});

describe("schema errors: where, and what was expected", () => {
  it("wrong type: at the value, in words, with what was found", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: it@acme.example }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    realtimeProtection: yes
    signatureMaxAgeHours: 12.5
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `7:30: config."steward:client".reporting.recipients: expected a list (found "it@acme.example")`,
      `10:25: config."steward:antivirus".realtimeProtection: expected true or false (found "yes")`,
      `11:5: config."steward:antivirus".signatureMaxAgeHours: is not used: no document steward reads shows a machine's signature age, so no policy could judge it (Defender for Cloud and the Defender portal report it); remove it`,
      `11:27: config."steward:antivirus".signatureMaxAgeHours: expected a whole number (found 12.5)`,
    ]);
  });

  it("enum and pattern: the allowed values or the format", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    scheduledScan:
      time: 2am
      type: fast
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: Windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `11:13: config."steward:antivirus".scheduledScan.time: expected a time HH:mm (found "2am")`,
      `12:13: config."steward:antivirus".scheduledScan.type: expected one of "quick", "full" (found "fast")`,
      `14:47: config."steward:endpoints"[0].os: expected one of "windows", "linux" (found "Windows"; did you mean "windows"?)`,
    ]);
  });

  it("unknown top-level key: at the key, with the closest steward setting", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpionts:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `1:1: config."steward:endpoints": is required`,
      `9:3: config."steward:endpionts": is not a known setting; did you mean steward:endpoints?`,
    ]);
  });

  it("unknown nested key: at the key, with the closest key at that level", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    realtimeProtecton: false
    scheduledScan:
      colour: blue
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `10:5: config."steward:antivirus".realtimeProtecton: is not a known setting; did you mean realtimeProtection?`,
      // A scan schedule is a setting Defender for Endpoint's extension does not take: another mistake.
      `11:5: config."steward:antivirus".scheduledScan: is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, ` +
        "so acme-web01 would not get it; set it where Defender for Endpoint's settings live (security settings management in the Defender portal or Intune, " +
        "Group Policy, or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)",
      `12:7: config."steward:antivirus".scheduledScan.colour: is not a known setting (known: enabled, day, time, type)`,
    ]);
  });

  it("a misspelt namespace is not taken for another provider's setting", () => {
    expect(
      problems(`config:
  azure-native:location: westeurope
  Steward:antivirus: { realtimeProtection: false }
  stewart:waivers: []
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `3:3: config."Steward:antivirus": is not a known setting; did you mean steward:antivirus?`,
      `4:3: config."stewart:waivers": is not a known setting; did you mean steward:waivers?`,
    ]);
  });

  it("missing required field: at the mapping that should hold it", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
  steward:endpoints:
    - name: acme-web01
      os: windows
      resourceGroup: rg-acme
      ring: pilot
`),
    ).toEqual([
      `2:3: config."steward:client".resourceGroup: is required`,
      `9:7: config."steward:endpoints"[0].kind: is required`,
    ]);
  });

  it("bad ring schedule: window length and days after Patch Tuesday", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:updateRings:
    - name: pilot
      order: 1
      patchTuesdayOffsetDays: 1
      duration: 05:00
    - name: broad
      order: 2
      patchTuesdayOffsetDays: 40
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `13:17: config."steward:updateRings"[0].duration: expected a duration HH:mm from 01:30 to 03:55 (found "05:00")`,
      `16:31: config."steward:updateRings"[1].patchTuesdayOffsetDays: expected a whole number from 0 to 20 (found 40)`,
    ]);
  });
});

/** The `steward:client` block the stack files of many tests below start with (lines 1-8). */
const ACME_CLIENT = `config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
`;

describe("checks across settings", () => {
  it("duplicate endpoint names, ignoring case: at the second one", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - name: acme-web01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: pilot
    - name: ACME-WEB01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: broad
`),
    ).toEqual([`15:13: config."steward:endpoints"[1].name: duplicate endpoint name "ACME-WEB01" (first used at line 10; names ignore case)`]);
  });

  it("endpoint in an unknown ring: the closest ring, or the rings there are", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - name: acme-web01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: brod
    - name: acme-web02
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme
      ring: canary
`),
    ).toEqual([
      `14:13: config."steward:endpoints"[0].ring: "brod" is not an update ring; did you mean broad?`,
      `19:13: config."steward:endpoints"[1].ring: "canary" is not an update ring (pilot, broad)`,
    ]);
  });

  const SCALE_SET_HEAD = `${ACME_CLIENT}  steward:endpoints:
`;

  it("a scale set is declared without a ring: nothing is defaulted for it, and its VMs keep theirs", () => {
    const config = parseClientConfig(
      `${SCALE_SET_HEAD}    - { name: acme-web-ss, kind: vm-scale-set, os: linux, resourceGroup: rg-acme, role: web tier }
    - { name: acme-sql01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: broad }
`,
      FILE,
    );
    expect(config.endpoints).toEqual([
      { name: "acme-web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", role: "web tier", subscriptionId: "11111111-2222-4333-8444-555555555555" },
      { name: "acme-sql01", kind: "azure-vm", os: "windows", resourceGroup: "rg-acme", ring: "broad", subscriptionId: "11111111-2222-4333-8444-555555555555" },
    ]);
  });

  it("a ring on a scale set is refused, never dropped, whether or not the ring exists; a VM or Arc machine still needs one", () => {
    const refused =
      "a scale set has no update ring: rings are in-guest (InGuestPatch) maintenance configurations, which do not patch scale sets " +
      "(Azure's Guest scope supports VMs and Arc machines only); Azure patches a scale set by automatic OS image upgrades " +
      "(its upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade), so remove ring";
    expect(
      problems(`${SCALE_SET_HEAD}    - { name: acme-web-ss, kind: vm-scale-set, os: linux, resourceGroup: rg-acme, ring: pilot }
    - { name: acme-api-ss, kind: vm-scale-set, os: linux, resourceGroup: rg-acme, ring: canary }
    - { name: acme-sql01, kind: azure-vm, os: windows, resourceGroup: rg-acme }
    - { name: acme-nas01, kind: arc-machine, os: linux, resourceGroup: rg-acme }
`),
    ).toEqual([
      `10:83: config."steward:endpoints"[0].ring: ${refused}`,
      `11:83: config."steward:endpoints"[1].ring: ${refused}`,
      `12:7: config."steward:endpoints"[2].ring: is required`,
      `13:7: config."steward:endpoints"[3].ring: is required`,
    ]);
  });

  it("rings: unique names and orders, staged from the first to the last", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:updateRings:
    - { name: pilot, order: 1, patchTuesdayOffsetDays: 5 }
    - { name: fast, order: 2, patchTuesdayOffsetDays: 3 }
    - { name: fast, order: 2, patchTuesdayOffsetDays: 9 }
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`),
    ).toEqual([
      `11:55: config."steward:updateRings"[1].patchTuesdayOffsetDays: 3 days after Patch Tuesday is before ring "pilot" (order 1, 5 days): a ring with a higher order must not patch earlier`,
      `12:15: config."steward:updateRings"[2].name: duplicate ring name "fast" (first used at line 11)`,
      `12:28: config."steward:updateRings"[2].order: duplicate ring order 2 (first used by ring "fast" at line 11)`,
    ]);
  });

  it("endpoints inside the client's scope; waivers that end after they start", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope:
      subscriptions: [11111111-2222-4333-8444-555555555555]
      resourceGroups: [rg-acme-prod]
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - name: acme-web01
      kind: azure-vm
      os: windows
      resourceGroup: rg-acme-prd
      subscriptionId: 99999999-2222-4333-8444-555555555555
      ring: pilot
  steward:waivers:
    - policy: endpoint-reports
      resource: "*"
      reason: agent rollout
      approver: Dana
      created: 2026-11-27
      expires: 2026-10-27
`),
    ).toEqual([
      `15:22: config."steward:endpoints"[0].resourceGroup: "rg-acme-prd" is not in the client's scope.resourceGroups; did you mean rg-acme-prod?`,
      `16:23: config."steward:endpoints"[0].subscriptionId: "99999999-2222-4333-8444-555555555555" is not in the client's scope.subscriptions`,
      `24:16: config."steward:waivers"[0].expires: 2026-10-27 is before the waiver was created (2026-11-27)`,
    ]);
  });

  it("one mistake is reported once: checks across settings skip values the schema refused", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:updateRings:
    - { name: pilot, order: 1, patchTuesdayOffsetDays: 40 }
    - { name: broad, order: 2, patchTuesdayOffsetDays: 7 }
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot, subscriptionId: not-a-guid }
  steward:waivers:
    - { policy: endpoint-reports, resource: "*", reason: agent rollout, approver: Dana, expires: 2027-02-30 }
`),
    ).toEqual([
      `10:56: config."steward:updateRings"[0].patchTuesdayOffsetDays: expected a whole number from 0 to 20 (found 40)`,
      `13:109: config."steward:endpoints"[0].subscriptionId: expected a subscription id (a GUID) (found "not-a-guid")`,
      `15:98: config."steward:waivers"[0].expires: "2027-02-30" is not a real date`,
    ]);
  });
});

describe("antivirus settings are deployed or refused (steward:antivirus)", () => {
  const file = (antivirus: string, endpoints: string) => `${ACME_CLIENT}  steward:antivirus:
${antivirus}
  steward:endpoints:
${endpoints}
`;
  const windows = (name: string) => `    - { name: ${name}, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }`;
  const linux = (name: string) => `    - { name: ${name}, kind: arc-machine, os: linux, resourceGroup: rg-acme, ring: pilot }`;
  const MDE =
    "Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, so acme-web01 and acme-nas01 would not get it; " +
    "set it where Defender for Endpoint's settings live (security settings management in the Defender portal or Intune, Group Policy, " +
    "or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)";

  it("with Defender for Endpoint, every setting written is refused (unsafe or not: real-time protection off gets no silent pass)", () => {
    expect(problems(file("    realtimeProtection: false\n    exclusions: { paths: ['C:\\Temp'] }", [windows("acme-web01"), linux("acme-nas01")].join("\n")))).toEqual([
      `10:5: config."steward:antivirus".realtimeProtection: is not deployed: ${MDE}`,
      `11:5: config."steward:antivirus".exclusions: is not deployed: ${MDE}`,
    ]);
    expect(problems(file("    engine: defender-for-endpoint\n    realtimeProtection: true", [windows("acme-web01"), linux("acme-nas01")].join("\n")))).toEqual([
      `11:5: config."steward:antivirus".realtimeProtection: is not deployed: ${MDE}`,
    ]);
  });

  it("with Microsoft Antimalware, settings for all endpoints are refused when some are Linux, naming them (at most five)", () => {
    const names = ["acme-nas01", "acme-nas02", "acme-nas03", "acme-nas04", "acme-nas05", "acme-nas06", "acme-nas07"];
    expect(problems(file("    engine: antimalware\n    scheduledScan: { day: sunday }", [windows("acme-web01"), ...names.map(linux)].join("\n")))).toEqual([
      `11:5: config."steward:antivirus".scheduledScan: is not deployed to the Linux endpoints acme-nas01, acme-nas02, acme-nas03, acme-nas04, acme-nas05 and 2 more: ` +
        "Microsoft Antimalware is Windows only, and their Defender for Endpoint extension (MDE.Linux) takes no antivirus settings (they live in mdatp managed configuration); " +
        "write appliesTo: windows to deploy it to the Windows endpoints only",
    ]);
  });

  it("appliesTo: windows deploys them to the Windows endpoints, and is refused when there are none", () => {
    const config = parseClientConfig(file("    engine: antimalware\n    appliesTo: windows\n    realtimeProtection: false", [windows("acme-web01"), linux("acme-nas01")].join("\n")), FILE);
    expect([config.antivirus.engine, config.antivirus.appliesTo, config.antivirus.realtimeProtection]).toEqual(["antimalware", "windows", false]);
    expect(problems(file("    engine: antimalware\n    appliesTo: windows\n    realtimeProtection: false", linux("acme-nas01")))).toEqual([
      `12:5: config."steward:antivirus".realtimeProtection: is not deployed to any endpoint: it applies to Windows endpoints and there are none; remove it`,
    ]);
  });

  it("writing none of them is fine with any engine: the extension gets Microsoft's defaults or its own", () => {
    for (const engine of ["antimalware", "defender-for-endpoint"]) {
      const config = parseClientConfig(file(`    engine: ${engine}`, [windows("acme-web01"), linux("acme-nas01")].join("\n")), FILE);
      expect(config.antivirus).toEqual({
        engine,
        appliesTo: "all",
        realtimeProtection: true,
        scheduledScan: { enabled: true, day: "saturday", time: "02:00", type: "quick" },
        exclusions: { paths: [], extensions: [], processes: [] },
      });
    }
  });
});

describe("enforcement overrides (steward:policy.enforcement)", () => {
  const HEAD = `${ACME_CLIENT}  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
  steward:policy:
    enforcement:
`;

  it("raising needs nothing (a bare mandatory); lowering is a mapping with the justification a waiver has", () => {
    const config = parseClientConfig(
      `${HEAD}      rings-staged: mandatory
      patch-orchestration-unverified: { level: mandatory }
      patch-orchestration:
        level: advisory
        reason: The client's IT patches these VMs with its own tooling until the migration (CHG-88)
        approver: Dana Whitfield
        created: "2026-11-20"
        expires: "2027-02-15"
`,
      FILE,
    );
    expect(config.policy.enforcement).toEqual({
      "rings-staged": { level: "mandatory" },
      "patch-orchestration-unverified": { level: "mandatory" },
      "patch-orchestration": {
        level: "advisory",
        reason: "The client's IT patches these VMs with its own tooling until the migration (CHG-88)",
        approver: "Dana Whitfield",
        created: "2026-11-20",
        expires: "2027-02-15",
      },
    });
  });

  it("a bare advisory or disabled is refused, and the message shows the shape to write", () => {
    const shape =
      "expected mandatory or a mapping: lowering a policy needs the justification a waiver has, written " +
      "{ level: advisory, reason: why, approver: who, created: YYYY-MM-DD, expires: YYYY-MM-DD }";
    expect(problems(`${HEAD}      patch-orchestration: advisory
      endpoint-reports: disabled
`)).toEqual([
      `13:28: config."steward:policy".enforcement."patch-orchestration": ${shape} (found "advisory")`,
      `14:25: config."steward:policy".enforcement."endpoint-reports": ${shape} (found "disabled")`,
    ]);
  });

  it("a lowering mapping without reason, approver, created or expires is refused at the mapping", () => {
    expect(problems(`${HEAD}      patch-orchestration: { level: disabled, reason: vendor appliance }
`)).toEqual([
      `13:7: config."steward:policy".enforcement."patch-orchestration".approver: is required`,
      `13:7: config."steward:policy".enforcement."patch-orchestration".created: is required`,
      `13:7: config."steward:policy".enforcement."patch-orchestration".expires: is required`,
    ]);
  });

  it("levels, keys and dates are checked; waivers-valid is never lowered", () => {
    expect(
      problems(`${HEAD}      patch-orchestration: { level: off }
      rings-staged: { level: advisory, reason: r, approver: a, created: "2026-11-20", expires: "2026-02-30", ticket: CHG-1 }
      endpoint-reports: { level: advisory, reason: r, approver: a, created: "2026-11-20", expires: "2026-11-19" }
      waivers-valid: { level: disabled, reason: r, approver: a, created: "2026-11-20", expires: "2026-12-19" }
`),
    ).toEqual([
      `13:37: config."steward:policy".enforcement."patch-orchestration".level: expected one of "mandatory", "advisory", "disabled" (found "off")`,
      `14:96: config."steward:policy".enforcement."rings-staged".expires: "2026-02-30" is not a real date`,
      `14:110: config."steward:policy".enforcement."rings-staged".ticket: is not a known setting (known: level, reason, approver, created, expires)`,
      `15:100: config."steward:policy".enforcement."endpoint-reports".expires: 2026-11-19 is before the override was created (2026-11-20)`,
      `16:31: config."steward:policy".enforcement."waivers-valid".level: waivers-valid reports the waivers and overrides that are not applied: it cannot be made disabled`,
    ]);
  });
});

describe("reporting", () => {
  it("YAML syntax error: its line and column, and nothing else is checked", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    displayName: [Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
  steward:endpionts: []
`),
    ).toEqual([`5:5: config."steward:client".displayName[0]: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  it("a key written twice is a YAML error at the second one", () => {
    expect(
      problems(`config:
  steward:client:
    id: acme
    id: acme-ltd
`),
    ).toEqual([`4:5: config."steward:client".id: invalid YAML: this key is already set earlier in the same mapping`]);
  });

  it("reports every problem of a file at once, in file order", () => {
    const text = `config:
  steward:client:
    id: Acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example], schedule: yearly }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
    - { name: acme-web01, kind: vm, os: windows, resourceGroup: rg-acme, ring: pilto }
  steward:antivirus:
    realtimeProtecton: true
`;
    let error: unknown;
    try {
      parseClientConfig(text, FILE);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.BAD_INPUT);
    expect((error as ConfigError).problems[0]).toEqual({
      file: FILE,
      line: 3,
      column: 9,
      path: `config."steward:client".id`,
      message: `expected a client id: 3 to 32 lower-case letters, digits and dashes, starting with a letter (found "Acme")`,
    });
    expect((error as ConfigError).message).toBe(
      [
        `6 problems in ${FILE}:`,
        `${FILE}:3:9: config."steward:client".id: expected a client id: 3 to 32 lower-case letters, digits and dashes, starting with a letter (found "Acme")`,
        `${FILE}:7:59: config."steward:client".reporting.schedule: expected one of "weekly", "monthly", "quarterly" (found "yearly")`,
        `${FILE}:11:15: config."steward:endpoints"[1].name: duplicate endpoint name "acme-web01" (first used at line 10; names ignore case)`,
        `${FILE}:11:33: config."steward:endpoints"[1].kind: expected one of "azure-vm", "arc-machine", "vm-scale-set" (found "vm")`,
        `${FILE}:11:80: config."steward:endpoints"[1].ring: "pilto" is not an update ring; did you mean pilot?`,
        `${FILE}:13:5: config."steward:antivirus".realtimeProtecton: is not a known setting; did you mean realtimeProtection?`,
      ].join("\n"),
    );
  });

  it("an empty file is one problem, not a crash", () => {
    expect(problems("")).toEqual([`1:1: (document): expected a mapping (key: value) (found nothing)`]);
  });

  it("an unreadable file is an input error", () => {
    expect(() => loadClientConfig(join(root, "stacks", "Pulumi.no-such-client.yaml"))).toThrow(InputError);
  });
});

describe("the stack files in the repository", () => {
  const stacks = join(root, "stacks");

  it.each([
    ["harbor-dental", 3, ["pilot", "broad"]],
    ["northwind-logistics", 8, ["pilot", "fast", "broad"]],
    ["contoso-legal", 5, ["pilot", "production"]],
  ])("%s loads without problems", (client, endpoints, rings) => {
    const config = loadClientConfig(join(stacks, `Pulumi.${client}.yaml`));
    expect(config.client.id).toBe(client);
    expect(config.endpoints).toHaveLength(endpoints);
    expect(config.updateRings.map((ring) => ring.name)).toEqual(rings);
  });

  it("says what differs between the example clients", () => {
    const load = (client: string) => loadClientConfig(join(stacks, `Pulumi.${client}.yaml`));
    const harbor = load("harbor-dental");
    expect(new Set(harbor.endpoints.map((endpoint) => endpoint.kind))).toEqual(new Set(["arc-machine"]));
    expect(harbor.antivirus.engine).toBe("defender-for-endpoint");
    const northwind = load("northwind-logistics");
    expect(northwind.antivirus.engine).toBe("antimalware");
    expect(northwind.client.reporting.schedule).toBe("weekly");
    expect(new Set(northwind.endpoints.map((endpoint) => endpoint.resourceGroup)).size).toBe(2);
    const contoso = load("contoso-legal");
    expect(contoso.client.managementModel).toBe("co-managed");
    expect(contoso.client.responsibilities).toEqual({ antivirus: "msp", patching: "client", monitoring: "shared", reporting: "msp" });
    expect(contoso.waivers).toHaveLength(1);
  });

  it("every stack file names the schema for editors", () => {
    for (const [dir, schemaPath] of [
      [stacks, "../core/schema/client-config.schema.json"],
      [fixtures("stacks"), "../../core/schema/client-config.schema.json"],
    ] as const) {
      for (const name of readdirSync(dir).filter((file) => file.endsWith(".yaml"))) {
        expect(readFileSync(join(dir, name), "utf8").split("\n")[0], name).toBe(`# yaml-language-server: $schema=${schemaPath}`);
      }
    }
  });

  it("fixtures: a file full of typos reports all of them", () => {
    const file = fixtures("stacks", "Pulumi.broken-typos.yaml");
    expect(() => loadClientConfig(file)).toThrow(ConfigError);
    let lines: string[] = [];
    try {
      loadClientConfig(file);
    } catch (error) {
      lines = (error as ConfigError).problems.map((problem) => `${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`);
    }
    expect(lines).toEqual([
      `11:22: config."steward:client".managementModel: expected one of "msp-managed", "co-managed", "internally-managed" (found "msp managed"; did you mean "msp-managed"?)`,
      `23:5: config."steward:antivirus".realtimeProtecton: is not a known setting; did you mean realtimeProtection?`,
      `25:13: config."steward:antivirus".scheduledScan.type: expected one of "quick", "full" (found "fast")`,
      `33:17: config."steward:updateRings"[1].duration: expected a duration HH:mm from 01:30 to 03:55 (found "04:00")`,
      `37:11: config."steward:endpoints"[0].os: expected one of "windows", "linux" (found "Windows"; did you mean "windows"?)`,
      `40:13: config."steward:endpoints"[1].name: duplicate endpoint name "fab-fs01" (first used at line 35; names ignore case)`,
      `44:13: config."steward:endpoints"[1].ring: "brod" is not an update ring; did you mean broad?`,
    ]);
  });

  it("fixtures: risky exclusions are valid configuration (the policies reject them, not the loader)", () => {
    const config = loadClientConfig(fixtures("stacks", "Pulumi.risky-exclusions.yaml"));
    expect(config.antivirus.exclusions).toEqual({ paths: ["C:\\Temp"], extensions: [".ps1"], processes: ["powershell.exe"] });
  });
});

describe("the schema", () => {
  it("words every pattern for editors and for the loader (patternErrorMessage)", () => {
    const missing: string[] = [];
    (function visit(node: unknown, at: string): void {
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string, unknown>;
      if (typeof record.pattern === "string" && typeof record.patternErrorMessage !== "string") missing.push(at);
      for (const [key, child] of Object.entries(record)) visit(child, `${at}/${key}`);
    })(schema, "#");
    expect(missing).toEqual([]);
  });
});
