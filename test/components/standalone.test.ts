// Each component on its own in a Pulumi program, under Pulumi's mocks: judged by the same engine
// before it registers any child, with what it references; or standing on a judgement it is
// given, only when that judgement covers its own plan.
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AntivirusPolicy, ManagedEndpoint, MonitoringBaseline, UpdateRing } from "../../components";
import { planEndpoint, planMonitoring, planRing, type Plan } from "../../components/plan";
import { BaselineRefusedError, judgeBaseline } from "../../components/preflight";
import type { EndpointSettings, UpdateRingSettings } from "../../core/config";
import { InputError } from "../../core/errors";
import { engine } from "../support";
import { acme, mockPulumi, registeredValue, settled, valueOf, type Registration } from "./mocks";

const evaluatedAt = new Date("2026-11-27T12:00:00Z");
const judging = { engine: engine(), evaluatedAt };
const client = acme().client;
const pilot = acme().updateRings[0] as UpdateRingSettings;
const webVm = acme().endpoints[0] as EndpointSettings;

let registrations: Registration[] = [];
let evaluate: ReturnType<typeof vi.spyOn>;
let warn: ReturnType<typeof vi.spyOn>;
beforeEach(async () => {
  registrations = await mockPulumi("acme");
  evaluate = vi.spyOn(engine(), "evaluate");
  warn = vi.spyOn(pulumi.log, "warn");
});
afterEach(async () => {
  evaluate.mockRestore();
  warn.mockRestore();
  await settled();
});

/** What the mocks must have registered for a component's plan, its component at the root. */
const registered = (plan: Plan): Array<Pick<Registration, "type" | "name" | "parent" | "inputs">> =>
  [
    ...plan.components.map(({ type, name }) => ({ type, name, parent: null, inputs: {} })),
    ...plan.resources.map(({ type, name, parent, args }) => ({ type, name, parent, inputs: registeredValue(args) as Record<string, unknown> })),
  ].sort(byName);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const withoutAliases = (list: Registration[]) => list.map(({ type, name, parent, inputs }) => ({ type, name, parent, inputs })).sort(byName);
const names = (list: Registration[]) => list.map((registration) => registration.name).sort();

/** The RunError a refused component throws, and the BaselineRefusedError behind it. */
function refusal(construct: () => unknown): BaselineRefusedError {
  let thrown: unknown;
  try {
    construct();
  } catch (error) {
    thrown = error;
  }
  expect(pulumi.RunError.isInstance(thrown)).toBe(true);
  const cause = (thrown as Error).cause;
  expect(cause).toBeInstanceOf(BaselineRefusedError);
  expect((thrown as Error).message).toBe((cause as BaselineRefusedError).message);
  return cause as BaselineRefusedError;
}

describe("MonitoringBaseline", () => {
  it("is judged on its own, then registers the workspace, the rule and the action group under itself", async () => {
    const monitoring = new MonitoringBaseline("acme-monitoring", { client, workspaceRetentionDays: 30, ...judging });
    const ids = await valueOf(pulumi.all([monitoring.workspaceId, monitoring.dataCollectionRuleId, monitoring.actionGroupId]));
    expect(ids).toEqual(["acme-monitoring-workspace-id", "acme-monitoring-rule-id", "acme-monitoring-threat-alerts-id"]);
    expect(withoutAliases(registrations)).toEqual(registered(planMonitoring("acme-monitoring", { client, workspaceRetentionDays: 30 })));
    expect(registrations.every((registration) => registration.aliases.length === 0)).toBe(true);
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("AntivirusPolicy", () => {
  it("registers only the security contact when not asked for Defender for Servers", async () => {
    const antivirus = new AntivirusPolicy("acme-antivirus", { client, defenderForServers: false, ...judging });
    expect(await valueOf(pulumi.all([antivirus.securityContactId, antivirus.defenderForServersIds]))).toEqual(["acme-antivirus-threat-contacts-id", []]);
    expect(registrations.map(({ type, name, parent }) => ({ type, name, parent })).sort(byName)).toEqual([
      { type: "steward:index:AntivirusPolicy", name: "acme-antivirus", parent: null },
      { type: "azure-native:security:SecurityContact", name: "acme-antivirus-threat-contacts", parent: "acme-antivirus" },
    ]);
  });
});

describe("UpdateRing", () => {
  it("registers its maintenance configuration under itself", async () => {
    const ring = new UpdateRing("acme-pilot", { client, ring: pilot, ...judging });
    expect(await valueOf(ring.maintenanceConfigurationId)).toBe("acme-pilot-schedule-id");
    expect(withoutAliases(registrations)).toEqual(registered(planRing("acme-pilot", { client, ring: pilot })));
    expect(ring.ring).toBe(pilot);
  });

  it("refuses a ring that never reboots, and registers nothing", () => {
    const ring = { ...pilot, reboot: "Never" as const };
    const refused = refusal(() => new UpdateRing("acme-pilot", { client, ring, ...judging }));
    expect(refused.message).toMatch(/^steward preflight refused UpdateRing "acme-pilot" of client "acme": 1 blocking finding\(s\); nothing was created\.\n/);
    expect(refused.findings.map((finding) => `${finding.policy} ${finding.urn}`)).toEqual([
      "ring-installs-security-fixes urn:pulumi:acme::steward::steward:index:UpdateRing$azure-native:maintenance:MaintenanceConfiguration::acme-pilot-schedule",
    ]);
    expect(registrations).toEqual([]);
  });
});

describe("ManagedEndpoint", () => {
  const parts = () => ({
    ring: new UpdateRing("acme-pilot", { client, ring: pilot, ...judging }),
    monitoring: new MonitoringBaseline("acme-monitoring", { client, workspaceRetentionDays: 90, ...judging }),
  });

  it("is judged with its ring and monitoring, then registers its extensions, rule association and ring assignment, referencing theirs", async () => {
    const { ring, monitoring } = parts();
    const endpoint = new ManagedEndpoint("acme-web-01", { client, endpoint: webVm, antivirus: acme().antivirus, ring, monitoring, ...judging });
    const ids = await valueOf(pulumi.all([endpoint.antivirusExtensionId, endpoint.monitoringAgentExtensionId, endpoint.ruleAssociationId, endpoint.ringAssignmentId ?? pulumi.output("none")]));
    expect(ids).toEqual(["acme-web-01-antivirus-id", "acme-web-01-monitoring-agent-id", "acme-web-01-rule-association-id", "acme-web-01-ring-assignment-id"]);
    const plan = planEndpoint("acme-web-01", {
      client,
      endpoint: webVm,
      antivirus: acme().antivirus,
      maintenanceConfigurationId: { $idOf: "acme-pilot-schedule" },
      dataCollectionRuleId: { $idOf: "acme-monitoring-rule" },
    });
    expect(withoutAliases(registrations.filter((registration) => registration.name.startsWith("acme-web-01")))).toEqual(registered(plan));
    // The ring, the monitoring and the endpoint: each judged once, the endpoint with the other two.
    expect(evaluate).toHaveBeenCalledTimes(3);
    expect(evaluate.mock.calls[2]?.[0].rings.map((ring: { name: string }) => ring.name)).toEqual(["pilot"]);
    expect(evaluate.mock.calls[2]?.[0].notifications.map((notification: { urn: string }) => notification.urn)).toEqual([
      "urn:pulumi:acme::steward::steward:index:MonitoringBaseline$azure-native:monitor:ActionGroup::acme-monitoring-threat-alerts",
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^steward: 1 advisory finding\(s\):\n {2}- \[patch-orchestration-unverified\] Azure VM "web-01" is not managed by this stack/);
  });

  it("refuses an endpoint with real-time protection off, and registers none of it", async () => {
    const { ring, monitoring } = parts();
    const antivirus = { ...acme().antivirus, realtimeProtection: false };
    const refused = refusal(() => new ManagedEndpoint("acme-web-01", { client, endpoint: webVm, antivirus, ring, monitoring, ...judging }));
    expect(refused.message).toMatch(/^steward preflight refused ManagedEndpoint "acme-web-01" of client "acme": 1 blocking finding\(s\); nothing was created\.\n/);
    expect(refused.findings.map((finding) => `${finding.policy}: ${finding.message}`)).toEqual([
      'antivirus-protection-on: Microsoft Antimalware extension "acme-web-01-antivirus" on "web-01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
    ]);
    await valueOf(pulumi.all([ring.maintenanceConfigurationId, monitoring.actionGroupId, monitoring.dataCollectionRuleId, monitoring.workspaceId]));
    expect(names(registrations)).toEqual(["acme-monitoring", "acme-monitoring-rule", "acme-monitoring-threat-alerts", "acme-monitoring-workspace", "acme-pilot", "acme-pilot-schedule"]);
  });

  it("given a maintenance configuration's ARM id for its ring, is refused: its schedule is not in the stack", () => {
    const { monitoring } = parts();
    const ring = `/subscriptions/${client.scope.subscriptions[0]}/resourceGroups/rg-shared/providers/Microsoft.Maintenance/maintenanceConfigurations/shared-pilot`;
    const refused = refusal(() => new ManagedEndpoint("acme-web-01", { client, endpoint: webVm, antivirus: acme().antivirus, ring, monitoring, ...judging }));
    expect(refused.findings.map((finding) => `${finding.policy}: ${finding.message}`)).toEqual([
      `endpoint-in-one-ring: Azure VM "web-01" is assigned to maintenance configuration "${ring.toLowerCase()}" which this stack does not contain, so its schedule cannot be checked`,
    ]);
  });

  it("refuses an UpdateRing other than the one endpoint.ring names", () => {
    const ring = new UpdateRing("acme-broad", { client, ring: acme().updateRings[1] as UpdateRingSettings, ...judging });
    expect(() => new ManagedEndpoint("acme-web-01", { client, endpoint: webVm, antivirus: acme().antivirus, ring, monitoring: "rule-id", ...judging })).toThrow(
      new InputError('ManagedEndpoint "acme-web-01" of client "acme": ring is the UpdateRing of ring "broad", but endpoint.ring is "pilot"; give the endpoint the ring that patches it'),
    );
  });
});

describe("a judgement given to a component", () => {
  const identity = { project: "steward", stack: "acme" };

  it("stands for a component whose plan it covers: no judging again, no warnings (the composer gave them)", async () => {
    const judgement = judgeBaseline(acme(), identity, evaluatedAt, engine());
    evaluate.mockClear();
    const monitoring = new MonitoringBaseline("acme-monitoring", { client, workspaceRetentionDays: 90, judgement });
    await valueOf(pulumi.all([monitoring.workspaceId, monitoring.dataCollectionRuleId, monitoring.actionGroupId]));
    expect(evaluate).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(names(registrations)).toEqual(["acme-monitoring", "acme-monitoring-rule", "acme-monitoring-threat-alerts", "acme-monitoring-workspace"]);
  });

  it("is refused when it does not cover the component's plan, and nothing is registered", () => {
    const judgement = judgeBaseline(acme(), identity, evaluatedAt, engine());
    expect(() => new UpdateRing("other-pilot", { client, ring: pilot, judgement })).toThrow(
      new InputError(
        [
          'UpdateRing "other-pilot" of client "acme": the judgement it was given does not cover its plan:',
          '  steward:index:UpdateRing "other-pilot" was not judged',
          '  azure-native:maintenance:MaintenanceConfiguration "other-pilot-schedule" was not judged',
        ].join("\n"),
      ),
    );
    expect(() => new UpdateRing("acme-ring-pilot", { client, ring: { ...pilot, patchTuesdayOffsetDays: 3 }, judgement })).toThrow(
      new InputError(
        [
          'UpdateRing "acme-ring-pilot" of client "acme": the judgement it was given does not cover its plan:',
          '  azure-native:maintenance:MaintenanceConfiguration "acme-ring-pilot-schedule" was judged as planned otherwise',
        ].join("\n"),
      ),
    );
    expect(registrations).toEqual([]);
  });

  it("with blocking findings refuses every component it covers", () => {
    const config = acme();
    config.antivirus.appliesTo = "windows";
    config.antivirus.realtimeProtection = false;
    const judgement = judgeBaseline(config, identity, evaluatedAt, engine());
    const refused = refusal(() => new MonitoringBaseline("acme-monitoring", { client, workspaceRetentionDays: 90, judgement }));
    expect(refused.message).toMatch(/^steward preflight refused MonitoringBaseline "acme-monitoring" of client "acme": 1 blocking finding\(s\); nothing was created\.\n/);
    expect(refused.findings.map((finding) => finding.policy)).toEqual(["antivirus-protection-on"]);
    expect(registrations).toEqual([]);
  });
});
