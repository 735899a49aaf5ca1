// steward coverage: declared endpoints against an Azure Resource Graph export of what exists.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClientConfig, type ClientConfig } from "../core/config";
import { compareInventory, outsideEveryScope, parseInventory, type CoverageFinding, type InventoryMachine } from "../core/coverage";
import { InputError } from "../core/errors";
import { fixtures, root } from "./support";

const CONTOSO_VMS = "3d6a0b7e-91c2-4f5d-8e3a-6b2c7d9f0e14";
const CONTOSO_ARC = "a0e4c8b2-6f1d-4c7a-9b35-2d8e4f6a1c90";
const HARBOR = "5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51";
const TAILSPIN = "4e8d2a6c-1b9f-4c37-8e05-7a3d6f2b9c18";
const TAILSPIN_WEB = `/subscriptions/${TAILSPIN}/resourceGroups/rg-tailspin-web/providers/Microsoft.Compute`;
const NORTHWIND = "8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24";

const stackPath = (stack: string) => join(root, "stacks", `Pulumi.${stack}.yaml`);
const client = (stack: string): ClientConfig => loadClientConfig(stackPath(stack));
const inventoryText = (name: string) => readFileSync(fixtures("inventory", name), "utf8");
const inventory = (name: string) => parseInventory(inventoryText(name), name);
/** Records as az graph query prints them, whole: `{ count, data, skip_token: null, total_records }`. */
const graphExport = (records: unknown[]) => JSON.stringify({ count: records.length, data: records, skip_token: null, total_records: records.length });
/** The example clients' machines, the records of compliant.json. */
const compliantRecords = () => (JSON.parse(inventoryText("compliant.json")) as { data: unknown[] }).data;

/** A finding as one readable line: `kind severity BLOCK|warn id: message`. */
const line = (finding: CoverageFinding) => `${finding.kind} ${finding.severity} ${finding.blocking ? "BLOCK" : "warn"} ${finding.machine.id}: ${finding.message}`;

/** The problems fixture, per client: every finding, exactly. */
const PROBLEM_FINDINGS: Record<string, string[]> = {
  "contoso-legal": [
    `foreign-tag high BLOCK /subscriptions/${CONTOSO_VMS}/resourceGroups/rg-contoso-prod/providers/Microsoft.Compute/virtualMachines/CTL-DMS01: ` +
      `Azure VM "CTL-DMS01" (rg-contoso-prod, subscription ${CONTOSO_VMS}) is in contoso-legal's scope but tagged client="northwind-logistics": ` +
      `correct the tag, or the clients' scopes if it belongs to another client`,
    `patch-orchestration high warn /subscriptions/${CONTOSO_ARC}/resourceGroups/rg-contoso-office-arc/providers/Microsoft.HybridCompute/machines/ctl-scan01: ` +
      `Arc machine "ctl-scan01" assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily`,
  ],
  "harbor-dental": [
    `missing medium warn /subscriptions/${HARBOR}/resourceGroups/rg-harbor-arc/providers/Microsoft.HybridCompute/machines/hd-backup01: ` +
      `declared Arc machine "hd-backup01" (rg-harbor-arc, subscription ${HARBOR}) is not in the inventory: ` +
      `remove it from steward:endpoints if it is gone, or correct its name, kind or resource group`,
  ],
  "northwind-logistics": [
    `unmanaged critical BLOCK /subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-test03: ` +
      `Azure VM "nwl-test03" (rg-nwl-app-prod, subscription ${NORTHWIND}) is in northwind-logistics's scope but not a declared endpoint: ` +
      `add it to steward:endpoints so it gets antivirus, an update ring and monitoring, or move it out of the scope`,
    `outside-scope critical BLOCK /subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-sandbox/providers/Microsoft.Compute/virtualMachines/nwl-build01: ` +
      `Azure VM "nwl-build01" (rg-nwl-sandbox, subscription ${NORTHWIND}) is tagged client="northwind-logistics" but its resource group is outside ` +
      `northwind-logistics's scope.resourceGroups, so nothing manages it: add the group to scope.resourceGroups and the machine to steward:endpoints, or correct the tag`,
    `patch-orchestration high warn /subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-web02: ` +
      `Azure VM "nwl-web02" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it`,
    `patch-orchestration high warn /subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-web02: ` +
      `Azure VM "nwl-web02" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it`,
  ],
};

const PROBLEM_SUMMARIES = {
  "contoso-legal": { declared: 5, inScope: 5, managed: 5, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 1, patchOrchestration: 1, blocking: 1, advisory: 1 },
  "harbor-dental": { declared: 3, inScope: 2, managed: 2, unmanaged: 0, outsideScope: 0, missing: 1, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 1 },
  "northwind-logistics": { declared: 8, inScope: 9, managed: 8, unmanaged: 1, outsideScope: 1, missing: 0, foreignTag: 0, patchOrchestration: 2, blocking: 2, advisory: 2 },
};

const COMPLIANT_SUMMARIES = {
  "contoso-legal": { declared: 5, inScope: 5, managed: 5, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 },
  "harbor-dental": { declared: 3, inScope: 3, managed: 3, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 },
  "northwind-logistics": { declared: 8, inScope: 8, managed: 8, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 },
};

const STACKS = ["contoso-legal", "harbor-dental", "northwind-logistics"] as const;

/** A compliant VM of northwind-logistics, as parseInventory returns it; `patch` replaces its Windows patch settings. */
function northwindVm(name: string, overrides: Partial<InventoryMachine> = {}): InventoryMachine {
  return {
    id: `/subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/${name}`,
    name,
    type: "microsoft.compute/virtualmachines",
    kind: "azure-vm",
    resourceGroup: "rg-nwl-app-prod",
    subscriptionId: NORTHWIND,
    tags: { client: "northwind-logistics" },
    os: "windows",
    patchSettings: {
      windows: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", bypassPlatformSafetyChecksOnUserSchedule: true },
      linux: null,
    },
    upgradePolicy: null,
    scaleSet: null,
    ...overrides,
  };
}

/** The compliant inventory with one machine changed (by name) or added. */
function compliantWith(change: (machines: InventoryMachine[]) => void): InventoryMachine[] {
  const machines = inventory("compliant.json");
  change(machines);
  return machines;
}

function byName(machines: InventoryMachine[], name: string): InventoryMachine {
  const machine = machines.find((candidate) => candidate.name === name);
  if (!machine) throw new Error(`no machine ${name} in the fixture`);
  return machine;
}

function inputError(text: string, file = "inventory.json"): string {
  try {
    parseInventory(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected the inventory to be refused");
}

describe("parseInventory", () => {
  it("reads az graph query's output as it prints it", () => {
    expect(inventory("compliant.json").map((machine) => machine.name)).toEqual([
      ...["CTL-RDS01", "CTL-DMS01", "CTL-SQL01", "CTL-FS01", "ctl-scan01"],
      ...["HD-FS01", "hd-backup01", "HD-PMS01"],
      ...["nwl-jump01", "nwl-etl01", "nwl-web02", "nwl-api02", "nwl-sql02", "nwl-web01", "nwl-api01", "nwl-sql01"],
    ]);
  });

  it("refuses a bare array (--query data): nothing in it shows that it holds every record", () => {
    expect(inputError(inventoryText("compliant-array.json"), "machines.json")).toBe(
      "machines.json is a bare array of records, which cannot show that it holds every record (az graph query --query data prints one page: 100 records unless --first says more); " +
        "an incomplete inventory could hide unmanaged machines. Pass az graph query's output as it printed it, { count, data, skip_token, total_records }, every page combined (scripts/resource-graph-export.sh does)",
    );
  });

  it("lifts a VM record: id as Resource Graph cases it, the OS from the disk, the patch settings of its OS", () => {
    expect(byName(inventory("compliant.json"), "nwl-etl01")).toEqual({
      id: `/subscriptions/${NORTHWIND}/resourceGroups/RG-NWL-DATA-PROD/providers/Microsoft.Compute/virtualMachines/nwl-etl01`,
      name: "nwl-etl01",
      type: "microsoft.compute/virtualmachines",
      kind: "azure-vm",
      resourceGroup: "rg-nwl-data-prod",
      subscriptionId: NORTHWIND,
      tags: { client: "northwind-logistics", "managed-by": "steward", ring: "pilot", environment: "production", "cost-center": "NWL-IT-200" },
      os: "linux",
      patchSettings: {
        windows: null,
        linux: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", bypassPlatformSafetyChecksOnUserSchedule: true },
      },
      upgradePolicy: null,
      scaleSet: null,
    });
  });

  it("lifts an Arc record: both OS configurations as Resource Graph shows them, the OS from osType", () => {
    const machine = byName(inventory("compliant.json"), "ctl-scan01");
    expect(machine.kind).toBe("arc-machine");
    expect(machine.os).toBe("linux");
    expect(machine.patchSettings).toEqual({
      windows: { patchMode: null, assessmentMode: null, bypassPlatformSafetyChecksOnUserSchedule: null },
      linux: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", bypassPlatformSafetyChecksOnUserSchedule: null },
    });
  });

  it("lifts a scale set (its model's OS, its upgrade policy), a Uniform instance (named for its scale set) and a Flexible instance (a VM naming its scale set)", () => {
    const machines = inventory("scale-sets.json");
    expect(machines.map((machine) => machine.name)).toEqual([
      ...["tsp-sql01", "tsp-sql02", "tsp-web-ss", "tsp-web-ss_0", "tsp-web-ss_1", "tsp-api-flex", "tsp-api-flex_3f2a9c1e", "tsp-api-flex_b71d04e5"],
      ...["tsp-batch-ss", "tsp-batch-ss_4", "tsp-jobs", "tsp-jobs_8d1c2b7a"],
    ]);
    const webScaleSet = { id: `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss`, name: "tsp-web-ss", resourceGroup: "rg-tailspin-web", subscriptionId: TAILSPIN };
    expect(byName(machines, "tsp-web-ss")).toEqual({
      ...webScaleSet,
      type: "microsoft.compute/virtualmachinescalesets",
      kind: "vm-scale-set",
      tags: { client: "tailspin-tours", "managed-by": "steward" },
      os: "linux",
      patchSettings: { windows: null, linux: null },
      upgradePolicy: { enableAutomaticOSUpgrade: true },
      scaleSet: null,
    });
    expect(byName(machines, "tsp-web-ss_1")).toEqual({
      id: `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss/virtualMachines/1`,
      name: "tsp-web-ss_1",
      type: "microsoft.compute/virtualmachinescalesets/virtualmachines",
      kind: "vm-scale-set-instance",
      resourceGroup: "rg-tailspin-web",
      subscriptionId: TAILSPIN,
      tags: {},
      os: "linux",
      patchSettings: { windows: null, linux: null },
      upgradePolicy: null,
      scaleSet: webScaleSet,
    });
    expect(byName(machines, "tsp-api-flex_3f2a9c1e")).toEqual({
      id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex_3f2a9c1e`,
      name: "tsp-api-flex_3f2a9c1e",
      type: "microsoft.compute/virtualmachines",
      kind: "azure-vm",
      resourceGroup: "rg-tailspin-web",
      subscriptionId: TAILSPIN,
      tags: {},
      os: "windows",
      patchSettings: { windows: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault", bypassPlatformSafetyChecksOnUserSchedule: null }, linux: null },
      upgradePolicy: null,
      scaleSet: { id: `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-api-flex`, name: "tsp-api-flex", resourceGroup: "rg-tailspin-web", subscriptionId: TAILSPIN },
    });
    // No automaticOSUpgradePolicy under an upgrade policy: the setting is not set; no upgrade policy at all: not shown.
    expect(byName(machines, "tsp-jobs").upgradePolicy).toEqual({ enableAutomaticOSUpgrade: null });
    expect(byName(machines, "tsp-batch-ss").upgradePolicy).toBeNull();
  });

  it("names an instance from its id when the query did not project a name: <scale set>_<instance id>", () => {
    const id = `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss/virtualMachines/7`;
    expect(parseInventory(graphExport([{ id, type: "microsoft.compute/virtualmachinescalesets/virtualmachines" }]), "x.json")).toEqual([
      {
        id,
        name: "tsp-web-ss_7",
        type: "microsoft.compute/virtualmachinescalesets/virtualmachines",
        kind: "vm-scale-set-instance",
        resourceGroup: "rg-tailspin-web",
        subscriptionId: TAILSPIN,
        tags: {},
        os: null,
        patchSettings: { windows: null, linux: null },
        upgradePolicy: null,
        scaleSet: { id: `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss`, name: "tsp-web-ss", resourceGroup: "rg-tailspin-web", subscriptionId: TAILSPIN },
      },
    ]);
  });

  it("refuses scale set and instance records whose id is not of their type, and a Flexible instance's scale set that is not a scale set", () => {
    const scaleSet = `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss`;
    const records = [
      { id: `${scaleSet}/virtualMachines/0`, type: "microsoft.compute/virtualmachinescalesets" },
      { id: scaleSet, type: "microsoft.compute/virtualmachinescalesets/virtualmachines" },
      { id: `${scaleSet}/virtualMachines/0/extensions/ama`, type: "microsoft.compute/virtualmachinescalesets/virtualmachines" },
      { id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex_1`, type: "microsoft.compute/virtualmachines", properties: { virtualMachineScaleSet: { id: "tsp-api-flex" } } },
      { id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex_2`, type: "microsoft.compute/virtualmachines", properties: { virtualMachineScaleSet: { id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex` } } },
      { id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex_3`, type: "microsoft.compute/virtualmachines", properties: { virtualMachineScaleSet: {} } },
      { id: `${TAILSPIN_WEB}/virtualMachines/tsp-api-flex_4`, type: "microsoft.compute/virtualmachines", properties: { virtualMachineScaleSet: null } },
    ];
    expect(inputError(graphExport(records), "arg.json")).toBe(
      [
        "6 problems in the Resource Graph export arg.json:",
        `  data[0].id: "${scaleSet}/virtualMachines/0" is not the id of a microsoft.compute/virtualmachinescalesets resource`,
        `  data[1].id: "${scaleSet}" is not the id of a microsoft.compute/virtualmachinescalesets/virtualmachines resource`,
        `  data[2].id: "${scaleSet}/virtualMachines/0/extensions/ama" is not the id of a microsoft.compute/virtualmachinescalesets/virtualmachines resource`,
        '  data[3].properties.virtualMachineScaleSet.id: expected the id of a microsoft.compute/virtualmachinescalesets resource, got string "tsp-api-flex"',
        `  data[4].properties.virtualMachineScaleSet.id: expected the id of a microsoft.compute/virtualmachinescalesets resource, got string "${TAILSPIN_WEB}/virtualMachines/tsp-api-flex"`,
        "  data[5].properties.virtualMachineScaleSet.id: expected the id of a microsoft.compute/virtualmachinescalesets resource, got no id",
      ].join("\n"),
    );
  });

  it("takes name, resource group and subscription from the id when the query did not project them; null tags are no tags", () => {
    const id = `/subscriptions/${HARBOR}/resourceGroups/rg-harbor-arc/providers/Microsoft.HybridCompute/machines/HD-FS01`;
    expect(parseInventory(graphExport([{ id, type: "microsoft.hybridcompute/machines", tags: null }]), "x.json")).toEqual([
      {
        id,
        name: "HD-FS01",
        type: "microsoft.hybridcompute/machines",
        kind: "arc-machine",
        resourceGroup: "rg-harbor-arc",
        subscriptionId: HARBOR,
        tags: {},
        os: null,
        patchSettings: { windows: null, linux: null },
        upgradePolicy: null,
        scaleSet: null,
      },
    ]);
  });

  it("counts a record repeated across combined pages once; a null skip_token is a complete result", () => {
    const [record] = compliantRecords();
    expect(parseInventory(JSON.stringify({ count: 2, data: [record, record], skip_token: null, total_records: 2 }), "x.json")).toEqual(parseInventory(graphExport([record]), "x.json"));
  });

  it.each([
    ["an empty file", "", "inventory.json is empty; expected an Azure Resource Graph export (JSON) of VMs, Arc machines and scale sets"],
    ["only whitespace", "\n  \n", "inventory.json is empty; expected an Azure Resource Graph export (JSON) of VMs, Arc machines and scale sets"],
    [
      "an object without data",
      '{"value": []}',
      'inventory.json is not an Azure Resource Graph export: expected az graph query\'s { "count", "data", "skip_token", "total_records" } output, got an object',
    ],
    [
      "a table-format result",
      '{"data": {"columns": [], "rows": []}}',
      'inventory.json is not an Azure Resource Graph export: expected az graph query\'s { "count", "data", "skip_token", "total_records" } output, got an object whose data is not an array of records (a table-format result; query with the default objectArray format)',
    ],
    ["a number", "42", 'inventory.json is not an Azure Resource Graph export: expected az graph query\'s { "count", "data", "skip_token", "total_records" } output, got number 42'],
  ])("refuses %s", (_case, text, message) => {
    expect(inputError(text)).toBe(message);
  });

  it("refuses text that is not JSON, naming the file", () => {
    expect(inputError('{"data": [{"id": "/subscriptions/', "arg.json")).toMatch(/^arg\.json is not valid JSON: /);
  });

  it("names every bad record by its index, all at once", () => {
    const vm = (name: string) => `/subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/${name}`;
    const records = [
      { id: vm("ok-01"), type: "microsoft.compute/virtualmachines" },
      "nwl-web01",
      { type: "microsoft.compute/virtualmachines" },
      { id: vm("a") },
      { id: `/subscriptions/${NORTHWIND}/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic`, type: "microsoft.network/networkinterfaces" },
      { id: "nwl-web01", type: "microsoft.compute/virtualmachines" },
      { id: vm("b"), type: "microsoft.hybridcompute/machines" },
      { id: vm("c"), type: "microsoft.compute/virtualmachines", tags: ["client"] },
      { id: vm("d"), type: "microsoft.compute/virtualmachines", tags: { client: 7 } },
      { id: vm("e"), type: "microsoft.compute/virtualmachines", name: "" },
      { id: vm("f"), type: "microsoft.compute/virtualmachines", properties: "{}" },
    ];
    expect(inputError(graphExport(records), "arg.json")).toBe(
      [
        "10 problems in the Resource Graph export arg.json:",
        "  data[1]: expected a record (object), got string \"nwl-web01\"",
        "  data[2]: missing id",
        "  data[3]: missing type",
        '  data[4].type: "microsoft.network/networkinterfaces" is not a virtual machine, Arc machine, scale set or scale set instance (expected microsoft.compute/virtualmachines, microsoft.hybridcompute/machines, microsoft.compute/virtualmachinescalesets or microsoft.compute/virtualmachinescalesets/virtualmachines)',
        '  data[5].id: "nwl-web01" is not an Azure resource id',
        `  data[6].id: "${vm("b")}" is not the id of a microsoft.hybridcompute/machines resource`,
        "  data[7].tags: expected an object of tag names and values, got an array",
        "  data[8].tags.client: expected a string, got number 7",
        '  data[9].name: expected a non-empty string, got string ""',
        '  data[10].properties: expected an object, got string "{}"',
      ].join("\n"),
    );
  });

  it("lists ten problems and counts the rest", () => {
    const message = inputError(graphExport(Array.from({ length: 12 }, () => ({}))));
    expect(message.split("\n")).toEqual([
      "24 problems in the Resource Graph export inventory.json:",
      "  data[0]: missing id",
      "  data[0]: missing type",
      "  data[1]: missing id",
      "  data[1]: missing type",
      "  data[2]: missing id",
      "  data[2]: missing type",
      "  data[3]: missing id",
      "  data[3]: missing type",
      "  data[4]: missing id",
      "  data[4]: missing type",
      "  ... and 14 more",
    ]);
  });

  const FIX =
    'an incomplete inventory could hide unmanaged machines. Export every page (az graph query -q "..." --first 1000, then again with --skip-token <skip_token> until it is null) and combine the data arrays into one file';

  it("refuses one page of a paged result (skip_token set)", () => {
    expect(inputError(inventoryText("truncated.json"), "truncated.json")).toBe(
      `truncated.json is one page of a larger Resource Graph result: skip_token is set (5 of 16 records); ${FIX}`,
    );
  });

  it.each([
    ["a count above the records held", { count: 3, data: [], skip_token: null }, `is incomplete: count is 3 but data holds 0 records, and no total_records says which is right; ${FIX}`],
    ["a count below the records held", JSON.parse(`{"count": 1, "data": ${inventoryText("compliant-array.json")}}`), `is incomplete: count is 1 but data holds 16 records, and no total_records says which is right; ${FIX}`],
    ["the REST API's skipToken", { data: [], skipToken: "abc", totalRecords: 3 }, `is one page of a larger Resource Graph result: skip_token is set (0 of 3 records); ${FIX}`],
    ["total_records above the records held", { count: 0, data: [], skip_token: null, total_records: 3 }, `is truncated: total_records is 3 but data holds 0 records; ${FIX}`],
    ["resultTruncated", { data: [], resultTruncated: "true" }, `is truncated (resultTruncated is true (0 records)); ${FIX}`],
  ])("refuses a truncated result: %s", (_case, document, message) => {
    expect(inputError(JSON.stringify(document), "arg.json")).toBe(`arg.json ${message}`);
  });

  it("refuses a total_records that is not a number of records: it cannot show the export is whole", () => {
    for (const [total, shown] of [
      ["3", 'string "3"'],
      [-1, "number -1"],
      [2.5, "number 2.5"],
    ] as const) {
      expect(inputError(JSON.stringify({ count: 0, data: [], skip_token: null, total_records: total }), "arg.json")).toBe(
        `arg.json: total_records is ${shown}, not a number of records; pass az graph query's output as it printed it`,
      );
    }
  });
});

describe("compareInventory", () => {
  it.each(STACKS)("%s: everything declared is present and compliant", (stack) => {
    expect(compareInventory(client(stack), inventory("compliant.json"))).toEqual({ client: stack, summary: COMPLIANT_SUMMARIES[stack], findings: [], uncoveredSubscriptions: [] });
  });

  it.each(STACKS)("%s: the problems fixture, finding by finding", (stack) => {
    const result = compareInventory(client(stack), inventory("problems.json"));
    expect(result.findings.map(line)).toEqual(PROBLEM_FINDINGS[stack]);
    expect(result.summary).toEqual(PROBLEM_SUMMARIES[stack]);
    expect(result.uncoveredSubscriptions).toEqual([]);
  });

  it("the problems fixture: the untagged sandbox VM (a resource group outside northwind's scope) and the MSP's own VM are outside every scope; the sandbox VM tagged for northwind is northwind's finding", () => {
    const outside = outsideEveryScope(STACKS.map(client), inventory("problems.json"));
    expect(outside.map((machine) => machine.name)).toEqual(["nwl-sandbox01", "bfit-rmm01"]);
  });

  it("matches kind, subscription, resource group and name ignoring case", () => {
    const machines = compliantWith((all) => {
      const vm = byName(all, "nwl-web01");
      Object.assign(vm, { name: "NWL-WEB01", resourceGroup: "RG-NWL-APP-PROD", subscriptionId: NORTHWIND.toUpperCase() });
    });
    expect(compareInventory(client("northwind-logistics"), machines).findings).toEqual([]);
  });

  it("a machine of another kind under a declared name is unmanaged, and the declared one missing", () => {
    const machines = compliantWith((all) => {
      const declared = byName(all, "HD-PMS01");
      Object.assign(declared, northwindVm("HD-PMS01", { id: declared.id.replace("Microsoft.HybridCompute/machines", "Microsoft.Compute/virtualMachines"), resourceGroup: "rg-harbor-arc", subscriptionId: HARBOR, tags: {} }));
    });
    const result = compareInventory(client("harbor-dental"), machines);
    expect(result.findings.map((finding) => [finding.kind, finding.machine.type, finding.machine.name])).toEqual([
      ["unmanaged", "microsoft.compute/virtualmachines", "HD-PMS01"],
      ["missing", "microsoft.hybridcompute/machines", "HD-PMS01"],
    ]);
    expect(result.summary).toEqual({ ...COMPLIANT_SUMMARIES["harbor-dental"], managed: 2, unmanaged: 1, missing: 1, blocking: 1, advisory: 1 });
  });

  it("a scope without resource groups is the whole subscription: a machine in any resource group of it is the client's", () => {
    const machines = compliantWith((all) => all.push(northwindVm("hd-kiosk01", { id: `/subscriptions/${HARBOR}/resourceGroups/rg-reception/providers/Microsoft.Compute/virtualMachines/hd-kiosk01`, resourceGroup: "rg-reception", subscriptionId: HARBOR, tags: {} })));
    expect(compareInventory(client("harbor-dental"), machines).findings.map((finding) => [finding.kind, finding.machine.name])).toEqual([["unmanaged", "hd-kiosk01"]]);
  });

  it("a scope with resource groups leaves the subscription's other groups alone, unless a machine there carries the client's own tag", () => {
    const lab = (name: string, tags: Record<string, string>) => northwindVm(name, { id: northwindVm(name).id.replace("rg-nwl-app-prod", "rg-nwl-lab"), resourceGroup: "rg-nwl-lab", tags });
    const untagged = compliantWith((all) => all.push(lab("nwl-lab01", {}), lab("nwl-lab02", { client: "contoso-legal" }), lab("nwl-lab03", { client: "Northwind-Logistics" })));
    expect(compareInventory(client("northwind-logistics"), untagged).findings).toEqual([]);
    expect(outsideEveryScope(STACKS.map(client), untagged).map((machine) => machine.name)).toEqual(["nwl-lab01", "nwl-lab02", "nwl-lab03"]);

    const tagged = compliantWith((all) => all.push(lab("nwl-lab04", { Client: "northwind-logistics" })));
    const result = compareInventory(client("northwind-logistics"), tagged);
    expect(result.findings.map(line)).toEqual([
      `outside-scope critical BLOCK /subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-lab/providers/Microsoft.Compute/virtualMachines/nwl-lab04: ` +
        `Azure VM "nwl-lab04" (rg-nwl-lab, subscription ${NORTHWIND}) is tagged Client="northwind-logistics" but its resource group is outside ` +
        `northwind-logistics's scope.resourceGroups, so nothing manages it: add the group to scope.resourceGroups and the machine to steward:endpoints, or correct the tag`,
    ]);
    expect(result.summary).toEqual({ ...COMPLIANT_SUMMARIES["northwind-logistics"], outsideScope: 1, blocking: 1 });
    expect(outsideEveryScope(STACKS.map(client), tagged)).toEqual([]);
    // In another subscription the tag claims nothing: that is no scope of northwind's.
    const elsewhere = compliantWith((all) => all.push(northwindVm("nwl-lab05", { id: northwindVm("nwl-lab05").id.replace(NORTHWIND, HARBOR.replace("5c", "6c")), subscriptionId: HARBOR.replace("5c", "6c") })));
    expect(compareInventory(client("northwind-logistics"), elsewhere).findings).toEqual([]);
  });

  it("a scope without resource groups has no outside: a tagged machine anywhere in the subscription is in scope", () => {
    const machines = compliantWith((all) => all.push(northwindVm("hd-kiosk02", { id: `/subscriptions/${HARBOR}/resourceGroups/rg-reception/providers/Microsoft.Compute/virtualMachines/hd-kiosk02`, resourceGroup: "rg-reception", subscriptionId: HARBOR, tags: { client: "harbor-dental" } })));
    expect(compareInventory(client("harbor-dental"), machines).findings.map((finding) => [finding.kind, finding.machine.name])).toEqual([["unmanaged", "hd-kiosk02"]]);
  });

  it("foreign tags: the tag name ignores case, the value does not; an untagged machine is not foreign; an unmanaged machine can be foreign too", () => {
    const machines = compliantWith((all) => {
      byName(all, "nwl-web01").tags = { Client: "northwind-logistics" };
      byName(all, "nwl-web02").tags = { CLIENT: "Northwind-Logistics" };
      byName(all, "nwl-api01").tags = {};
      all.push(northwindVm("ctl-rds02", { tags: { client: "contoso-legal" } }));
    });
    expect(compareInventory(client("northwind-logistics"), machines).findings.map((finding) => `${finding.kind} ${finding.machine.name}: ${finding.message.split(": ")[0]}`)).toEqual([
      `unmanaged ctl-rds02: Azure VM "ctl-rds02" (rg-nwl-app-prod, subscription ${NORTHWIND}) is in northwind-logistics's scope but not a declared endpoint`,
      `foreign-tag ctl-rds02: Azure VM "ctl-rds02" (rg-nwl-app-prod, subscription ${NORTHWIND}) is in northwind-logistics's scope but tagged client="contoso-legal"`,
      `foreign-tag nwl-web02: Azure VM "nwl-web02" (rg-nwl-app-prod, subscription ${NORTHWIND}) is in northwind-logistics's scope but tagged CLIENT="Northwind-Logistics"`,
    ]);
  });

  it("patch orchestration: every VM prerequisite, Arc machines only on assessment, judged on the machine's own OS", () => {
    const machines = compliantWith((all) => {
      byName(all, "nwl-jump01").patchSettings.windows = { patchMode: "manual", assessmentMode: "ImageDefault", bypassPlatformSafetyChecksOnUserSchedule: "true" };
      byName(all, "nwl-web01").patchSettings.windows = { patchMode: "automaticbyplatform", assessmentMode: "AUTOMATICBYPLATFORM", bypassPlatformSafetyChecksOnUserSchedule: true };
    });
    expect(compareInventory(client("northwind-logistics"), machines).findings.map((finding) => finding.message)).toEqual([
      'Azure VM "nwl-jump01" patchMode is "manual"; it must be "AutomaticByPlatform" so its update ring patches it',
      'Azure VM "nwl-jump01" bypassPlatformSafetyChecksOnUserSchedule is "true"; it must be true so its update ring patches it',
      'Azure VM "nwl-jump01" assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily',
    ]);

    // An Arc machine has no patch mode to judge; its empty Windows configuration is not its OS's.
    const arc = compliantWith((all) => {
      const scanner = byName(all, "ctl-scan01");
      scanner.patchSettings.linux = { patchMode: "ImageDefault", assessmentMode: "AutomaticByPlatform", bypassPlatformSafetyChecksOnUserSchedule: null };
    });
    expect(compareInventory(client("contoso-legal"), arc).findings).toEqual([]);
  });

  it("patch orchestration: settings the inventory does not show are not verified; an unknown OS falls back to the declared one", () => {
    const machines = compliantWith((all) => {
      byName(all, "nwl-sql01").patchSettings = { windows: null, linux: null };
      Object.assign(byName(all, "nwl-api01"), { os: null });
    });
    expect(compareInventory(client("northwind-logistics"), machines).findings.map(line)).toEqual([
      `patch-orchestration high warn /subscriptions/${NORTHWIND}/resourceGroups/RG-NWL-DATA-PROD/providers/Microsoft.Compute/virtualMachines/nwl-sql01: ` +
        'Azure VM "nwl-sql01": the inventory shows no osProfile.windowsConfiguration.patchSettings for it (project properties in the Resource Graph query); its patch orchestration is not verified',
    ]);
  });

  it("patch orchestration is not judged for a client whose policies disabled it (a justified override)", () => {
    const config = client("northwind-logistics");
    // Northwind's problems less its two patch-orchestration findings.
    expect(compareInventory(config, inventory("problems.json"), { "patch-orchestration": "disabled" }).findings.map(line)).toEqual(PROBLEM_FINDINGS["northwind-logistics"]?.slice(0, 2));
  });

  it("patch orchestration is judged when only the stack file says disabled: the override counts once the policies applied it", () => {
    const config = client("northwind-logistics");
    config.policy.enforcement["patch-orchestration"] = { level: "disabled" };
    expect(compareInventory(config, inventory("problems.json")).findings.map(line)).toEqual(PROBLEM_FINDINGS["northwind-logistics"]);
    expect(compareInventory(config, inventory("problems.json"), { "patch-orchestration": "mandatory" }).findings.map(line)).toEqual(PROBLEM_FINDINGS["northwind-logistics"]);
  });

  it("a scope subscription with no machine in the inventory is not covered, and its endpoints are not reported missing", () => {
    const machines = inventory("compliant.json").filter((machine) => machine.subscriptionId !== CONTOSO_ARC);
    expect(compareInventory(client("contoso-legal"), machines)).toEqual({
      client: "contoso-legal",
      summary: { declared: 5, inScope: 3, managed: 3, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 },
      findings: [],
      uncoveredSubscriptions: [CONTOSO_ARC],
    });
    expect(compareInventory(client("harbor-dental"), []).uncoveredSubscriptions).toEqual([HARBOR]);
  });
});

describe("compareInventory: scale sets and their instances (fixtures/stacks/Pulumi.scale-sets.yaml, fixtures/inventory/scale-sets.json)", () => {
  const tailspin = () => loadClientConfig(fixtures("stacks", "Pulumi.scale-sets.yaml"));
  const where = `(rg-tailspin-web, subscription ${TAILSPIN})`;
  const SCALE_SET_FINDINGS = [
    `unmanaged critical BLOCK ${TAILSPIN_WEB}/virtualMachines/tsp-jobs_8d1c2b7a: ` +
      `Azure VM "tsp-jobs_8d1c2b7a" ${where} is in tailspin-tours's scope but neither it nor its scale set "tsp-jobs" is a declared endpoint: ` +
      `add scale set "tsp-jobs" to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope`,
    `unmanaged critical BLOCK ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-batch-ss: ` +
      `Scale set "tsp-batch-ss" ${where} is in tailspin-tours's scope but not a declared endpoint: ` +
      `add it to steward:endpoints (kind: vm-scale-set) so its model gets antivirus and monitoring, or move it out of the scope`,
    `unmanaged critical BLOCK ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-batch-ss/virtualMachines/4: ` +
      `Scale set instance "tsp-batch-ss_4" ${where} is in tailspin-tours's scope but its scale set "tsp-batch-ss" is not a declared endpoint: ` +
      `add scale set "tsp-batch-ss" to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope`,
    `unmanaged critical BLOCK ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-jobs: ` +
      `Scale set "tsp-jobs" ${where} is in tailspin-tours's scope but not a declared endpoint: ` +
      `add it to steward:endpoints (kind: vm-scale-set) so its model gets antivirus and monitoring, or move it out of the scope`,
    `patch-orchestration high warn ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-api-flex: ` +
      `Scale set "tsp-api-flex" automaticOSUpgradePolicy.enableAutomaticOSUpgrade is false; it must be true so Azure patches it by upgrading its OS image (in-guest update rings do not patch scale sets)`,
  ];
  const SCALE_SET_SUMMARY = { declared: 4, inScope: 12, managed: 8, unmanaged: 4, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 1, blocking: 4, advisory: 1 };

  /** The fixture without the undeclared scale sets and their instances, tsp-api-flex upgrading automatically. */
  function declaredOnly(): InventoryMachine[] {
    const machines = inventory("scale-sets.json").filter((machine) => !/tsp-(batch-ss|jobs)/.test(machine.name));
    byName(machines, "tsp-api-flex").upgradePolicy = { enableAutomaticOSUpgrade: true };
    return machines;
  }

  it("a declared scale set and its instances are managed (Uniform and Flexible alike); an undeclared one and each of its instances are not, named with their scale set; a scale set must upgrade its OS image automatically", () => {
    const result = compareInventory(tailspin(), inventory("scale-sets.json"));
    expect(result.findings.map(line)).toEqual(SCALE_SET_FINDINGS);
    expect(result.summary).toEqual(SCALE_SET_SUMMARY);
    expect(result.uncoveredSubscriptions).toEqual([]);
  });

  it("every declared scale set present, upgrading automatically: nothing to report; its instances count as managed, not patch-checked on their own", () => {
    expect(compareInventory(tailspin(), declaredOnly())).toEqual({
      client: "tailspin-tours",
      summary: { declared: 4, inScope: 8, managed: 8, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 },
      findings: [],
      uncoveredSubscriptions: [],
    });
  });

  it("a scale set whose upgrade policy the inventory does not show, or does not set, is not verified / not upgrading", () => {
    const machines = declaredOnly();
    byName(machines, "tsp-web-ss").upgradePolicy = null;
    byName(machines, "tsp-api-flex").upgradePolicy = { enableAutomaticOSUpgrade: null };
    expect(compareInventory(tailspin(), machines).findings.map((finding) => finding.message)).toEqual([
      'Scale set "tsp-api-flex" automaticOSUpgradePolicy.enableAutomaticOSUpgrade is not set; it must be true so Azure patches it by upgrading its OS image (in-guest update rings do not patch scale sets)',
      'Scale set "tsp-web-ss": the inventory shows no upgradePolicy for it (project properties in the Resource Graph query); whether it upgrades its OS image automatically is not verified',
    ]);
  });

  it("a declared scale set the inventory lacks is missing; when its instances are there, the export left out the scale sets", () => {
    const withoutWeb = declaredOnly().filter((machine) => machine.name !== "tsp-web-ss");
    const result = compareInventory(tailspin(), withoutWeb);
    expect(result.findings.map(line)).toEqual([
      `missing medium warn ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss: declared Scale set "tsp-web-ss" ${where} is not in the inventory, but instances of it are: ` +
        "export the scale sets too (microsoft.compute/virtualmachinescalesets, in the resources table), so its automatic OS image upgrades can be checked",
    ]);
    expect(result.summary).toEqual({ declared: 4, inScope: 7, managed: 7, unmanaged: 0, outsideScope: 0, missing: 1, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 1 });

    const gone = declaredOnly().filter((machine) => !machine.name.startsWith("tsp-web-ss"));
    expect(compareInventory(tailspin(), gone).findings.map(line)).toEqual([
      `missing medium warn ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss: declared Scale set "tsp-web-ss" ${where} is not in the inventory: ` +
        "remove it from steward:endpoints if it is gone, or correct its name, kind or resource group",
    ]);
  });

  it("a Flexible instance declared as a VM is managed as one (patch-checked as a VM); an instance whose scale set is declared as a VM is not managed by it", () => {
    const config = tailspin();
    config.endpoints = config.endpoints.filter((endpoint) => endpoint.name !== "tsp-api-flex");
    config.endpoints.push({ name: "tsp-api-flex_3f2a9c1e", kind: "azure-vm", os: "windows", resourceGroup: "rg-tailspin-web", subscriptionId: TAILSPIN, ring: "pilot" });
    config.endpoints.push({ name: "tsp-web-ss", kind: "azure-vm", os: "linux", resourceGroup: "rg-tailspin-web", subscriptionId: TAILSPIN, ring: "pilot" });
    config.endpoints = config.endpoints.filter((endpoint) => endpoint.kind !== "vm-scale-set");
    const findings = compareInventory(config, declaredOnly()).findings.map((finding) => `${finding.kind} ${finding.machine.name}: ${finding.message.split(": ")[0]}`);
    expect(findings).toEqual([
      `unmanaged tsp-api-flex_b71d04e5: Azure VM "tsp-api-flex_b71d04e5" ${where} is in tailspin-tours's scope but neither it nor its scale set "tsp-api-flex" is a declared endpoint`,
      `unmanaged tsp-api-flex: Scale set "tsp-api-flex" ${where} is in tailspin-tours's scope but not a declared endpoint`,
      `unmanaged tsp-web-ss: Scale set "tsp-web-ss" ${where} is in tailspin-tours's scope but not a declared endpoint`,
      `unmanaged tsp-web-ss_0: Scale set instance "tsp-web-ss_0" ${where} is in tailspin-tours's scope but its scale set "tsp-web-ss" is not a declared endpoint`,
      `unmanaged tsp-web-ss_1: Scale set instance "tsp-web-ss_1" ${where} is in tailspin-tours's scope but its scale set "tsp-web-ss" is not a declared endpoint`,
      `missing tsp-web-ss: declared Azure VM "tsp-web-ss" ${where} is not in the inventory`,
      'patch-orchestration tsp-api-flex_3f2a9c1e: Azure VM "tsp-api-flex_3f2a9c1e" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it',
      'patch-orchestration tsp-api-flex_3f2a9c1e: Azure VM "tsp-api-flex_3f2a9c1e" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it',
      'patch-orchestration tsp-api-flex_3f2a9c1e: Azure VM "tsp-api-flex_3f2a9c1e" assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily',
    ]);
  });

  it("a scale set's image upgrades follow endpoint-in-one-ring's enforcement, not patch-orchestration's", () => {
    const machines = inventory("scale-sets.json");
    const patchChecked = (enforcement: Record<string, "mandatory" | "advisory" | "disabled">) =>
      compareInventory(tailspin(), machines, enforcement).findings.filter((finding) => finding.kind === "patch-orchestration").map((finding) => finding.machine.name);
    expect(patchChecked({ "patch-orchestration": "disabled" })).toEqual(["tsp-api-flex"]);
    expect(patchChecked({ "endpoint-in-one-ring": "disabled" })).toEqual([]);
    expect(patchChecked({ "endpoint-in-one-ring": "advisory" })).toEqual(["tsp-api-flex"]);
  });

  it("an instance tagged for the client outside its scope names its scale set; an instance tagged for another client in scope is foreign", () => {
    const machines = declaredOnly();
    const instance = byName(machines, "tsp-web-ss_0");
    machines.push({
      ...instance,
      id: instance.id.replace(/rg-tailspin-web/g, "rg-tailspin-test").replace(/tsp-web-ss/g, "tsp-test-ss"),
      name: "tsp-test-ss_0",
      resourceGroup: "rg-tailspin-test",
      tags: { client: "tailspin-tours" },
      scaleSet: { id: `${TAILSPIN_WEB.replace("rg-tailspin-web", "rg-tailspin-test")}/virtualMachineScaleSets/tsp-test-ss`, name: "tsp-test-ss", resourceGroup: "rg-tailspin-test", subscriptionId: TAILSPIN },
    });
    byName(machines, "tsp-web-ss_1").tags = { client: "contoso-legal" };
    expect(compareInventory(tailspin(), machines).findings.map(line)).toEqual([
      `outside-scope critical BLOCK /subscriptions/${TAILSPIN}/resourceGroups/rg-tailspin-test/providers/Microsoft.Compute/virtualMachineScaleSets/tsp-test-ss/virtualMachines/0: ` +
        `Scale set instance "tsp-test-ss_0" (rg-tailspin-test, subscription ${TAILSPIN}) is tagged client="tailspin-tours" but its resource group is outside ` +
        `tailspin-tours's scope.resourceGroups, so nothing manages it: add the group to scope.resourceGroups and its scale set "tsp-test-ss" to steward:endpoints, or correct the tag`,
      `foreign-tag high BLOCK ${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-web-ss/virtualMachines/1: ` +
        `Scale set instance "tsp-web-ss_1" ${where} is in tailspin-tours's scope but tagged client="contoso-legal": correct the tag, or the clients' scopes if it belongs to another client`,
    ]);
  });

  it("a thousand instances of a declared scale set are all managed", () => {
    const instance = byName(inventory("scale-sets.json"), "tsp-web-ss_0");
    const many = Array.from({ length: 1000 }, (_, index) => ({ ...instance, id: instance.id.replace(/\/0$/, `/${index + 10}`), name: `tsp-web-ss_${index + 10}` }));
    const result = compareInventory(tailspin(), [...declaredOnly(), ...many]);
    expect(result.findings).toEqual([]);
    expect(result.summary).toEqual({ declared: 4, inScope: 1008, managed: 1008, unmanaged: 0, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 0, blocking: 0, advisory: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// The built CLI (dist/): `npm run build` first.

function steward(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const report = (stack: keyof typeof PROBLEM_SUMMARIES, summary: object, findings: unknown[], status: string) => ({
  client: stack,
  stack,
  file: stackPath(stack),
  status,
  summary,
  findings,
  uncoveredSubscriptions: [],
  notFullyEnforced: [],
  problems: [],
});

// fixtures/stacks/Pulumi.exceptions-in-force.yaml: patch-orchestration disabled by a justified
// override, antivirus-protection-on waived on every resource.
const WINGTIP = "9a4c2e71-5b3d-4f86-a1c0-7e2d9b5f3a18";
/** A Wingtip till as Resource Graph exports it, with patch settings Azure would refuse to schedule. */
const wingtipTill = (name: string) => ({
  id: `/subscriptions/${WINGTIP}/resourceGroups/rg-wingtip-stores/providers/Microsoft.Compute/virtualMachines/${name}`,
  name,
  type: "microsoft.compute/virtualmachines",
  resourceGroup: "rg-wingtip-stores",
  subscriptionId: WINGTIP,
  tags: { client: "wingtip-toys", "managed-by": "steward" },
  properties: {
    storageProfile: { osDisk: { osType: "Windows" } },
    osProfile: { windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" } } },
  },
});

describe("steward coverage", () => {
  let scratch = "";
  beforeAll(() => {
    if (!existsSync(join(root, "dist", "cli", "commands", "coverage.js"))) throw new Error("the CLI is not built: run `npm run build` first");
    scratch = mkdtempSync(join(tmpdir(), "steward-coverage-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("every declared machine present and compliant: exit 0, exact JSON; the same machines as a bare array: exit 2", () => {
    const file = fixtures("inventory", "compliant.json");
    const { code, stdout, stderr } = steward(["coverage", "--inventory", file, "--format", "json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({
      version: 1,
      inventory: { file, machines: 16 },
      clients: STACKS.map((stack) => report(stack, COMPLIANT_SUMMARIES[stack], [], "pass")),
      outsideEveryScope: 0,
      summary: { clients: 3, pass: 3, blocking: 0, "not-covered": 0, invalid: 0, error: 0 },
    });
    const bare = fixtures("inventory", "compliant-array.json");
    const refused = steward(["coverage", "--inventory", bare, "--format", "json"]);
    expect([refused.code, refused.stdout]).toEqual([2, ""]);
    expect(refused.stderr).toMatch(new RegExp(`^steward: ${escape(bare)} is a bare array of records, which cannot show that it holds every record`));
  });

  it("an unmanaged VM and a foreign tag block: exit 1, every finding in the JSON", () => {
    const file = fixtures("inventory", "problems.json");
    const { code, stdout } = steward(["coverage", "-i", file, "-f", "json"]);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout);
    expect(parsed).toEqual({
      version: 1,
      inventory: { file, machines: 19 },
      clients: STACKS.map((stack) => report(stack, PROBLEM_SUMMARIES[stack], expect.any(Array), stack === "harbor-dental" ? "pass" : "blocking")),
      outsideEveryScope: 2,
      summary: { clients: 3, pass: 1, blocking: 2, "not-covered": 0, invalid: 0, error: 0 },
    });
    for (const entry of parsed.clients as Array<{ client: string; findings: CoverageFinding[] }>) {
      expect(entry.findings.map(line)).toEqual(PROBLEM_FINDINGS[entry.client]);
    }
    expect(parsed.clients[2].findings[0]).toEqual({
      kind: "unmanaged",
      severity: "critical",
      blocking: true,
      machine: {
        id: `/subscriptions/${NORTHWIND}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-test03`,
        name: "nwl-test03",
        type: "microsoft.compute/virtualmachines",
        resourceGroup: "rg-nwl-app-prod",
        subscriptionId: NORTHWIND,
      },
      message: `Azure VM "nwl-test03" (rg-nwl-app-prod, subscription ${NORTHWIND}) is in northwind-logistics's scope but not a declared endpoint: add it to steward:endpoints so it gets antivirus, an update ring and monitoring, or move it out of the scope`,
    });
  });

  it("the table: one row per client, the findings, the machines outside every scope", () => {
    const { code, stdout } = steward(["coverage", "--inventory", fixtures("inventory", "problems.json")]);
    expect(code).toBe(1);
    /** A finding as the table prints it: from the line `kind severity BLOCK|warn id: message`. */
    const row = (finding: string) => {
      const [kind, , verdict] = finding.split(" ");
      return `  ${verdict === "BLOCK" ? "BLOCK" : "warn "} [${kind}] ${finding.slice(finding.indexOf(": ") + 2)}`;
    };
    expect(stdout.split("\n")).toEqual([
      "CLIENT               STATUS    IN SCOPE  MANAGED  UNMANAGED  OUTSIDE SCOPE  FOREIGN TAG  MISSING  PATCH SETTINGS",
      "-------------------  --------  --------  -------  ---------  -------------  -----------  -------  --------------",
      "contoso-legal        blocking  5         5        0          0              1            0        1",
      "harbor-dental        pass      2         2        0          0              0            1        0",
      "northwind-logistics  blocking  9         8        1          1              0            0        2",
      ...STACKS.flatMap((stack) => ["", `${stack}: findings`, ...(PROBLEM_FINDINGS[stack] ?? []).map(row)]),
      "",
      "19 machines in the inventory, 2 outside every client's scope (not judged).",
      "",
    ]);
  });

  it("one client with --stack, the inventory from stdin; a missing endpoint alone is advisory: exit 0", () => {
    const { code, stdout } = steward(["coverage", "--stack", "harbor-dental", "-i", "-", "--format", "json"], inventoryText("problems.json"));
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.inventory).toEqual({ file: "standard input", machines: 19 });
    expect(parsed.clients.map((entry: { client: string; status: string }) => [entry.client, entry.status])).toEqual([["harbor-dental", "pass"]]);
    expect(parsed.clients[0].findings.map(line)).toEqual(PROBLEM_FINDINGS["harbor-dental"]);
    expect(parsed.outsideEveryScope).toBe(17);
  });

  it("says which policies are not fully enforced; a justified override disables patch orchestration, an expired one does not", () => {
    const tills = graphExport([wingtipTill("WT-POS01"), wingtipTill("WT-POS02")]);
    const args = ["coverage", "--stacks-dir", fixtures("stacks"), "--stack", "exceptions-in-force", "-i", "-"];
    const json = steward([...args, "--format", "json"], tills);
    expect(json.code).toBe(0);
    const [client] = JSON.parse(json.stdout).clients;
    expect([client.status, client.findings]).toEqual(["pass", []]);
    expect(client.notFullyEnforced.map((entry: Record<string, unknown>) => [entry.policy, entry.level, entry.findings])).toEqual([
      ["patch-orchestration", "disabled", 0],
      ["antivirus-protection-on", "waived", 2],
    ]);
    // 86 days left: the tests judge as of 2026-11-30 (vitest.config.mts).
    expect(steward(args, tills).stdout.split("\n")).toEqual([
      "CLIENT        STATUS  IN SCOPE  MANAGED  UNMANAGED  OUTSIDE SCOPE  FOREIGN TAG  MISSING  PATCH SETTINGS",
      "------------  ------  --------  -------  ---------  -------------  -----------  -------  --------------",
      "wingtip-toys  pass    2         2        0          0              0            0        0",
      "",
      "wingtip-toys: not fully enforced",
      "  patch-orchestration (high): disabled instead of mandatory until 2027-02-24 (86 days left); hides 0 findings; approved by Dana Whitfield (Bluefin IT service manager): " +
        "The POS vendor patches the tills from its own image pipeline; Azure Update Manager must not reboot them during trading hours until the vendor supports it (CHG-3107).",
      "  antivirus-protection-on (critical): waived on every resource (*) until 2027-02-24 (86 days left); hides 2 findings; approved by Dana Whitfield (Bluefin IT service manager): " +
        "The POS vendor certifies its till software only without real-time scanning (CERT-2026-114); the weekly scan stays on and the tills are replaced in February.",
      "",
      "2 machines in the inventory, 0 outside every client's scope (not judged).",
      "",
    ]);

    writeFileSync(
      join(scratch, "Pulumi.expired.yaml"),
      readFileSync(fixtures("stacks", "Pulumi.exceptions-in-force.yaml"), "utf8").replace('        created: "2026-11-27"\n        expires: "2027-02-24"', '        created: "2026-08-01"\n        expires: "2026-10-30"'),
    );
    const expired = JSON.parse(steward(["coverage", "--stacks-dir", scratch, "--stack", "expired", "-i", "-", "--format", "json"], tills).stdout);
    // patchMode, the bypass flag and assessmentMode, per till.
    expect(expired.clients[0].findings.map(line)).toEqual(
      ["WT-POS01", "WT-POS02"].flatMap((till) =>
        [
          'patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it',
          "bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it",
          'assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily',
        ].map((problem) => `patch-orchestration high warn ${wingtipTill(till).id}: Azure VM "${till}" ${problem}`),
      ),
    );
    expect(expired.clients[0].notFullyEnforced.map((entry: Record<string, unknown>) => [entry.policy, entry.level, entry.findings])).toEqual([["antivirus-protection-on", "waived", 2]]);
  });

  it("scale sets and their instances: an unmanaged scale set and its instance block (exit 1); the table counts every record", () => {
    const args = ["coverage", "--stacks-dir", fixtures("stacks"), "--stack", "scale-sets", "-i", fixtures("inventory", "scale-sets.json")];
    const json = steward([...args, "--format", "json"]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.inventory).toEqual({ file: fixtures("inventory", "scale-sets.json"), machines: 12 });
    expect(parsed.clients.map((entry: { client: string; status: string; summary: object }) => [entry.client, entry.status, entry.summary])).toEqual([
      ["tailspin-tours", "blocking", { declared: 4, inScope: 12, managed: 8, unmanaged: 4, outsideScope: 0, missing: 0, foreignTag: 0, patchOrchestration: 1, blocking: 4, advisory: 1 }],
    ]);
    expect(parsed.clients[0].findings[2]).toEqual({
      kind: "unmanaged",
      severity: "critical",
      blocking: true,
      machine: {
        id: `${TAILSPIN_WEB}/virtualMachineScaleSets/tsp-batch-ss/virtualMachines/4`,
        name: "tsp-batch-ss_4",
        type: "microsoft.compute/virtualmachinescalesets/virtualmachines",
        resourceGroup: "rg-tailspin-web",
        subscriptionId: TAILSPIN,
      },
      message:
        `Scale set instance "tsp-batch-ss_4" (rg-tailspin-web, subscription ${TAILSPIN}) is in tailspin-tours's scope but its scale set "tsp-batch-ss" is not a declared endpoint: ` +
        'add scale set "tsp-batch-ss" to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope',
    });
    const text = steward(args);
    expect(text.code).toBe(1);
    const where = `(rg-tailspin-web, subscription ${TAILSPIN})`;
    expect(text.stdout.split("\n")).toEqual([
      "CLIENT          STATUS    IN SCOPE  MANAGED  UNMANAGED  OUTSIDE SCOPE  FOREIGN TAG  MISSING  PATCH SETTINGS",
      "--------------  --------  --------  -------  ---------  -------------  -----------  -------  --------------",
      "tailspin-tours  blocking  12        8        4          0              0            0        1",
      "",
      "tailspin-tours: findings",
      `  BLOCK [unmanaged] Azure VM "tsp-jobs_8d1c2b7a" ${where} is in tailspin-tours's scope but neither it nor its scale set "tsp-jobs" is a declared endpoint: ` +
        'add scale set "tsp-jobs" to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope',
      `  BLOCK [unmanaged] Scale set "tsp-batch-ss" ${where} is in tailspin-tours's scope but not a declared endpoint: ` +
        "add it to steward:endpoints (kind: vm-scale-set) so its model gets antivirus and monitoring, or move it out of the scope",
      `  BLOCK [unmanaged] Scale set instance "tsp-batch-ss_4" ${where} is in tailspin-tours's scope but its scale set "tsp-batch-ss" is not a declared endpoint: ` +
        'add scale set "tsp-batch-ss" to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope',
      `  BLOCK [unmanaged] Scale set "tsp-jobs" ${where} is in tailspin-tours's scope but not a declared endpoint: ` +
        "add it to steward:endpoints (kind: vm-scale-set) so its model gets antivirus and monitoring, or move it out of the scope",
      '  warn  [patch-orchestration] Scale set "tsp-api-flex" automaticOSUpgradePolicy.enableAutomaticOSUpgrade is false; it must be true so Azure patches it by upgrading its OS image (in-guest update rings do not patch scale sets)',
      "",
      "12 machines in the inventory, 0 outside every client's scope (not judged).",
      "",
    ]);
  });

  it("an inventory that does not cover a client's subscriptions cannot pass: exit 2, the report on stdout, the reason on stderr", () => {
    const harborOnly = (compliantRecords() as Array<{ subscriptionId: string }>).filter((record) => record.subscriptionId === HARBOR);
    const { code, stdout, stderr } = steward(["coverage", "-i", "-", "-f", "json"], graphExport(harborOnly));
    expect(code).toBe(2);
    const parsed = JSON.parse(stdout);
    expect(parsed.clients.map((entry: { client: string; status: string; uncoveredSubscriptions: string[] }) => [entry.client, entry.status, entry.uncoveredSubscriptions])).toEqual([
      ["contoso-legal", "not-covered", [CONTOSO_VMS, CONTOSO_ARC]],
      ["harbor-dental", "pass", []],
      ["northwind-logistics", "not-covered", [NORTHWIND]],
    ]);
    expect(stderr).toBe(
      [
        "steward: coverage could not be checked for 2 clients:",
        `  contoso-legal: the inventory has no machine in 2 of its scope subscriptions: ${CONTOSO_VMS}, ${CONTOSO_ARC}`,
        `  northwind-logistics: the inventory has no machine in its scope subscription ${NORTHWIND}`,
        "  Run the Resource Graph query against every subscription in the clients' scopes (az graph query --subscriptions ...); a scope subscription with no machines at all cannot be told apart from one the export missed.",
        "",
      ].join("\n"),
    );
  });

  it("an invalid stack file exits 2 even when the inventory is fine", () => {
    const { code, stdout, stderr } = steward(["coverage", "--stacks-dir", fixtures("stacks"), "-i", fixtures("inventory", "compliant.json")]);
    expect(code).toBe(2);
    expect(stdout).toContain("Pulumi.broken-typos.yaml: invalid configuration");
    expect(stderr).toContain(`broken-typos: invalid stack file ${fixtures("stacks", "Pulumi.broken-typos.yaml")}`);
  });

  it.each([
    ["an empty file", "empty.json", "", (file: string) => `steward: ${file} is empty; expected an Azure Resource Graph export (JSON) of VMs, Arc machines and scale sets\n`],
    ["truncated JSON", "cut.json", '{"count": 16, "data": [{"id": "/subscriptions/', (file: string) => new RegExp(`^steward: ${escape(file)} is not valid JSON: `)],
    [
      "a document of another shape",
      "shape.json",
      '{"value": []}',
      (file: string) => `steward: ${file} is not an Azure Resource Graph export: expected az graph query's { "count", "data", "skip_token", "total_records" } output, got an object\n`,
    ],
    ["a record without an id", "noid.json", graphExport([{ type: "microsoft.compute/virtualmachines" }]), (file: string) => `steward: 1 problem in the Resource Graph export ${file}:\n  data[0]: missing id\n`],
  ])("exits 2 on %s, naming the file", (_case, name, text, message) => {
    const file = join(scratch, name);
    writeFileSync(file, text);
    const { code, stdout, stderr } = steward(["coverage", "--inventory", file]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    const expected = message(file);
    if (typeof expected === "string") expect(stderr).toBe(expected);
    else expect(stderr).toMatch(expected);
  });

  it("exits 2 on one page of a paged export (skip_token), naming the file and how to get the rest", () => {
    const file = fixtures("inventory", "truncated.json");
    const { code, stdout, stderr } = steward(["coverage", "--inventory", file]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(
      `steward: ${file} is one page of a larger Resource Graph result: skip_token is set (5 of 16 records); an incomplete inventory could hide unmanaged machines. ` +
        'Export every page (az graph query -q "..." --first 1000, then again with --skip-token <skip_token> until it is null) and combine the data arrays into one file\n',
    );
  });

  it.each([
    ["an unreadable file", ["coverage", "--inventory", "/nonexistent/arg.json"], "steward: cannot read /nonexistent/arg.json: ENOENT: no such file or directory, stat '/nonexistent/arg.json'"],
    ["empty standard input", ["coverage", "--inventory", "-"], "steward: standard input is empty; expected an Azure Resource Graph export (JSON) of VMs, Arc machines and scale sets"],
    // commander's words, then the command's help.
    ["no --inventory", ["coverage"], "error: required option '-i, --inventory <file>' not specified"],
    ["an unknown stack", ["coverage", "--stack", "nope", "-i", "-"], `steward: no stack "nope" in ${join(root, "stacks")} (have: contoso-legal, harbor-dental, northwind-logistics)`],
  ])("exits 2 on %s", (_case, args, message) => {
    const { code, stderr } = steward(args, "");
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(message);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("parseInventory: count", () => {
  const records = compliantRecords();

  it("pages combined by hand: a count of one page is fine when total_records matches the records held", () => {
    expect(parseInventory(JSON.stringify({ count: 1000, data: records, skip_token: null, total_records: records.length }), "x.json")).toEqual(inventory("compliant.json"));
  });

  it("without total_records nothing shows that the export is whole, whether its count matches or it has none", () => {
    const message =
      "x.json has no total_records, so nothing in it shows that it holds every record (16 records); an incomplete inventory could hide unmanaged machines. " +
      'Export every page (az graph query -q "..." --first 1000, then again with --skip-token <skip_token> until it is null) and combine the data arrays into one file';
    expect(inputError(JSON.stringify({ count: records.length, data: records }), "x.json")).toBe(message);
    expect(inputError(JSON.stringify({ data: records }), "x.json")).toBe(message);
  });

  it.each([
    ["a string", "16", 'x.json: count is string "16", not a number of records; pass az graph query\'s output as it printed it'],
    ["a negative number", -1, "x.json: count is number -1, not a number of records; pass az graph query's output as it printed it"],
    ["a fraction", 1.5, "x.json: count is number 1.5, not a number of records; pass az graph query's output as it printed it"],
  ])("refuses a count that is %s", (_case, count, message) => {
    expect(inputError(JSON.stringify({ count, data: records, total_records: 16 }), "x.json")).toBe(message);
  });
});
