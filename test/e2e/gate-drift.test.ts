// `steward gate` and `steward drift` on what the real CLI prints, and running it themselves
// (`--stack`, in a pulumi-local workspace through STEWARD_PULUMI_CWD and the workspace's
// environment): changes the preflight cannot see (machines added to the program outside the
// baseline) are caught with exactly their new findings; drift made in the cloud is named with its
// old and new values, and is gone once `pulumi up --refresh` has put the cloud back.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRecorded, prepare, recordFixture, removeWorkspaces, steward, workspace, type GateFinding, type RunOptions } from "./support";

beforeAll(prepare);
afterAll(removeWorkspaces);

const stack = "northwind-logistics";
const subscription = "8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24";
const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::steward::${type}::${name}`;
const vmId = (group: string, name: string) => `/subscriptions/${subscription}/resourcegroups/${group}/providers/microsoft.compute/virtualmachines/${name}`;

/** northwind-logistics' eight declared VMs: the stack does not own them, so their patch settings go unverified. */
const UNVERIFIED = [
  vmId("rg-nwl-app-prod", "nwl-api01"),
  vmId("rg-nwl-app-prod", "nwl-api02"),
  vmId("rg-nwl-app-prod", "nwl-jump01"),
  vmId("rg-nwl-app-prod", "nwl-web01"),
  vmId("rg-nwl-app-prod", "nwl-web02"),
  vmId("rg-nwl-data-prod", "nwl-etl01"),
  vmId("rg-nwl-data-prod", "nwl-sql01"),
  vmId("rg-nwl-data-prod", "nwl-sql02"),
];

interface GateReport {
  summary: { blocking: number; advisory: number; waived: number };
  findings: GateFinding[];
}

const gateReport = (run: { status: number; stdout: string; output: string }) => {
  expect(run.status, run.output).toBe(1);
  return JSON.parse(run.stdout) as GateReport;
};
const brief = (findings: GateFinding[], status: string) =>
  findings.filter((finding) => finding.status === status).map((finding) => [finding.policy, finding.enforcement, finding.urn, finding.message]);

describe("steward gate and drift on the real CLI (northwind-logistics, deployed)", () => {
  const ws = workspace();

  beforeAll(() => {
    ws.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
  });

  const VM = "azure-native:compute:VirtualMachine";
  describe.each([
    {
      change: "ringless-endpoint",
      what: "an endpoint added with antivirus, monitoring, tags and patch orchestration but no ring",
      fresh: [["endpoint-in-one-ring", "mandatory", urnOf(VM, "northwind-app03"), 'Azure VM "northwind-app03" is in no update ring']],
    },
    {
      change: "raw-vm",
      what: "a bare azure-native:compute:VirtualMachine added outside the baseline",
      fresh: [
        ["antivirus-installed", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" has no antivirus extension'],
        ["endpoint-in-one-ring", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" is in no update ring'],
        ["endpoint-reports", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor'],
        ["endpoint-reports", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" is not associated with a data collection rule, so its agent collects nothing'],
        ["managed-tags", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" carries no tags; it needs "client", "managed-by"'],
        ["patch-orchestration", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" assessmentMode is not set; it must be "AutomaticByPlatform" so missing updates are assessed daily'],
        ["patch-orchestration", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it'],
        ["patch-orchestration", "mandatory", urnOf(VM, "northwind-rogue01"), 'Azure VM "northwind-rogue01" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it'],
      ],
    },
  ])("$what", ({ change, fresh }) => {
    const options: RunOptions = { program: "extra-machines", env: { STEWARD_E2E_EXTRA: change } };
    const fixture = `${stack}.${change}.preview.json`;
    let fromFile: GateReport;

    it("steward gate on `pulumi preview --json --show-sames`: exactly the new findings; the eight existing advisories", () => {
      const preview = ws.ok(["preview", "--json", "--show-sames", "--stack", stack], options).stdout;
      recordFixture(fixture, preview);
      expectRecorded(fixture, preview);
      const file = join(ws.dir, fixture);
      writeFileSync(file, preview);
      fromFile = gateReport(steward(["gate", file, "--stack", stack, "--format", "json"]));
      expect(brief(fromFile.findings, "new")).toEqual(fresh);
      expect(brief(fromFile.findings, "existing").map(([policy, enforcement, urn]) => [policy, enforcement, urn])).toEqual(
        UNVERIFIED.map((urn) => ["patch-orchestration-unverified", "advisory", urn]),
      );
      expect(brief(fromFile.findings, "resolved")).toEqual([]);
      expect(fromFile.summary).toEqual({ blocking: fresh.length, advisory: 8, waived: 0, resources: expect.any(Number) });
    });

    it("steward gate --stack runs that preview itself in the workspace (STEWARD_PULUMI_CWD) and says the same", () => {
      const report = gateReport(steward(["gate", "--stack", stack, "--format", "json"], { ...ws.stewardEnvironment(stack, options), ...options.env }));
      expect(report).toEqual(fromFile);
    });
  });

  describe("drift made in the cloud", () => {
    const antivirus = (group: string, vm: string) => `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${vm}/extensions/antivirus`;
    const webAntivirus = antivirus("rg-nwl-app-prod", "nwl-web01");
    const jumpAntivirus = antivirus("rg-nwl-app-prod", "nwl-jump01");
    const sqlAssignment = `/subscriptions/${subscription}/resourceGroups/rg-nwl-data-prod/providers/Microsoft.Compute/virtualMachines/nwl-sql01/providers/Microsoft.Maintenance/configurationAssignments/northwind-logistics-broad`;
    const realtimeProtection = () => (ws.cloud().resources[webAntivirus]?.outputs.settings as Record<string, unknown> | undefined)?.RealtimeProtectionEnabled;
    const drift = (format: string[] = []) => steward(["drift", "--stack", stack, ...format], ws.stewardEnvironment(stack));

    beforeAll(() => {
      // In "the portal": real-time protection off on nwl-web01, nwl-sql01 taken out of its ring,
      // nwl-jump01's antivirus extension uninstalled.
      ws.editCloud((cloud) => {
        (cloud.resources[webAntivirus]?.outputs.settings as Record<string, unknown>).RealtimeProtectionEnabled = "false";
        cloud.resources = Object.fromEntries(Object.entries(cloud.resources).filter(([id]) => id !== sqlAssignment && id !== jumpAntivirus));
      });
    });

    it("steward drift --stack runs `pulumi refresh --preview-only` and names each drift with its old and new value", () => {
      const refresh = ws.ok(["refresh", "--preview-only", "--json", "--stack", stack]).stdout;
      recordFixture(`${stack}.drifted-three-ways.refresh.json`, refresh);
      expectRecorded(`${stack}.drifted-three-ways.refresh.json`, refresh);

      const json = drift(["--format", "json"]);
      expect(json.status, json.output).toBe(1);
      const report = JSON.parse(json.stdout) as { drifted: unknown[]; policies: GateReport };
      const extension = "steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:compute:VirtualMachineExtension";
      const assignment = "steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:maintenance:ConfigurationAssignment";
      expect(report.drifted).toEqual([
        {
          urn: urnOf(extension, "northwind-logistics-nwl-jump01-antivirus"),
          type: "azure-native:compute:VirtualMachineExtension",
          kind: "deleted",
          question: "antivirus",
          changes: [],
          restore: "pulumi up would create it again",
        },
        {
          urn: urnOf(extension, "northwind-logistics-nwl-web01-antivirus"),
          type: "azure-native:compute:VirtualMachineExtension",
          kind: "changed",
          question: "antivirus",
          changes: [{ path: "settings.RealtimeProtectionEnabled", expected: "true", actual: "false" }],
          restore: 'pulumi up would set settings.RealtimeProtectionEnabled back to "true"',
        },
        {
          urn: urnOf(assignment, "northwind-logistics-nwl-sql01-ring-assignment"),
          type: "azure-native:maintenance:ConfigurationAssignment",
          kind: "deleted",
          question: "patching",
          changes: [],
          restore: "pulumi up would create it again",
        },
      ]);
      expect(brief(report.policies.findings, "new").map(([policy, enforcement, , message]) => [policy, enforcement, message])).toEqual([
        ["antivirus-installed", "mandatory", 'Azure VM "nwl-jump01" has no antivirus extension'],
        [
          "antivirus-protection-on",
          "mandatory",
          'Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
        ],
        ["endpoint-in-one-ring", "mandatory", 'Azure VM "nwl-sql01" is in no update ring'],
      ]);

      const text = drift();
      expect(text.status, text.output).toBe(1);
      expect(text.stdout).toContain('settings.RealtimeProtectionEnabled: "true" -> "false"');
      expect(text.stdout).toContain("northwind-logistics-nwl-jump01-antivirus: pulumi up would create it again");
      expect(text.stdout).toContain("northwind-logistics-nwl-sql01-ring-assignment: pulumi up would create it again");
    });

    it("is put back by `pulumi up --refresh`, after which steward drift --stack finds none", () => {
      ws.ok(["up", "--yes", "--refresh", "--skip-preview", "--stack", stack]);
      expect(realtimeProtection()).toBe("true");
      expect(ws.cloud().resources[sqlAssignment]?.type).toBe("azure-native:maintenance:ConfigurationAssignment");
      expect(ws.cloud().resources[jumpAntivirus]?.type).toBe("azure-native:compute:VirtualMachineExtension");
      const clean = drift();
      expect(clean.status, clean.output).toBe(0);
      expect(clean.stdout.startsWith("No drift: the cloud matches Pulumi's state.\n")).toBe(true);
    });
  });
});
