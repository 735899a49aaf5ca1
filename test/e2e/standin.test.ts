// The azure-native stand-in without the engine: every type the baseline plans is served, its
// outputs carry only names azure-native's classes declare, and reading a resource back gives
// inputs that show no change.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadClientConfig } from "../../core/config";
import { planBaseline } from "../../components/plan";
import { ARM_TYPES, UNKNOWN, carries, diff, inputsOf, type ArmContext, type Bag } from "./standin/arm";
import { root } from "./support";

const context: ArmContext = {
  subscription: "5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51",
  createdAt: "2026-11-27T12:00:00.000Z",
  modifiedAt: "2026-11-27T12:00:00.000Z",
  lookup: () => undefined,
};

/** Every client's planned resources, their $idOf references as ARM-id-like strings, and the
 *  client's subscription. */
function planned(): Array<{ type: string; name: string; args: Bag; context: ArmContext }> {
  const resolve = (value: unknown): unknown => {
    if (value && typeof value === "object" && "$idOf" in value) return `/subscriptions/${context.subscription}/resourceGroups/rg/providers/X/y/${String(value.$idOf)}`;
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
    return value;
  };
  return ["harbor-dental", "northwind-logistics", "contoso-legal"].flatMap((client) => {
    const config = loadClientConfig(join(root, "stacks", `Pulumi.${client}.yaml`));
    const subscription = config.client.scope.subscriptions[0] ?? context.subscription;
    return planBaseline(config.client.id, config).resources.map((resource) => ({
      type: resource.type,
      name: resource.name,
      args: resolve(resource.args) as Bag,
      context: { ...context, subscription },
    }));
  });
}

/** The `readonly` outputs a class of @pulumi/azure-native declares (its .d.ts). */
function declaredOutputs(token: string): Set<string> {
  const [, module, name] = token.split(":") as [string, string, string];
  const file = join(root, "node_modules", "@pulumi", "azure-native", module, `${name.charAt(0).toLowerCase()}${name.slice(1)}.d.ts`);
  const declared = [...readFileSync(file, "utf8").matchAll(/^ {4}readonly (\w+): pulumi\.Output</gm)].map((match) => match[1] as string);
  return new Set(declared);
}

/** Its `XxxArgs` inputs. */
function declaredInputs(token: string): { all: string[]; required: string[] } {
  const [, module, name] = token.split(":") as [string, string, string];
  const text = readFileSync(join(root, "node_modules", "@pulumi", "azure-native", module, `${name.charAt(0).toLowerCase()}${name.slice(1)}.d.ts`), "utf8");
  const args = text.slice(text.indexOf(`export interface ${name}Args {`));
  const body = args.slice(0, args.indexOf("\n}"));
  const members = [...body.matchAll(/^ {4}(\w+)(\??): /gm)];
  return { all: members.map((m) => m[1] as string).sort(), required: members.filter((m) => m[2] === "").map((m) => m[1] as string).sort() };
}

describe("the azure-native stand-in", () => {
  it("serves every type the example clients' baselines plan", () => {
    const types = new Set(planned().map((resource) => resource.type));
    expect([...types].filter((type) => !ARM_TYPES.has(type))).toEqual([]);
    // And virtual machines, which no baseline plans: tests add one to the program outside a baseline.
    expect([...ARM_TYPES.keys()].sort()).toEqual([...types, "azure-native:compute:VirtualMachine"].sort());
  });

  it.each([...ARM_TYPES.keys()])("%s: knows the SDK's inputs and which are required", (token) => {
    const type = ARM_TYPES.get(token);
    const declared = declaredInputs(token);
    expect([...(type?.inputs ?? [])].sort()).toEqual(declared.all);
    expect([...(type?.required ?? [])].sort()).toEqual(declared.required);
  });

  it("reports outputs under azure-native's output names only, with its `type` and `name`", () => {
    for (const resource of planned()) {
      const type = ARM_TYPES.get(resource.type);
      if (!type) throw new Error(resource.type);
      const id = type.id(resource.args, resource.context);
      const outputs = type.outputs(resource.args, id, resource.context);
      const declared = declaredOutputs(resource.type);
      expect(Object.keys(outputs).filter((key) => !declared.has(key)), `${resource.name}: outputs azure-native does not declare`).toEqual([]);
      expect(outputs.azureApiVersion).toBe(type.apiVersion);
      expect(outputs.name).toBe(resource.args[type.nameInput]);
      // A VM extension's `type` is its handler type (azure-native flattens properties.type over it).
      expect(outputs.type).toBe(resource.type === "azure-native:compute:VirtualMachineExtension" ? resource.args.type : type.armType);
    }
  });

  it("gives resources ARM ids that name their path inputs", () => {
    const ids = new Map<string, string>();
    for (const resource of planned()) {
      const type = ARM_TYPES.get(resource.type);
      if (!type) throw new Error(resource.type);
      const id = type.id(resource.args, resource.context);
      expect(id, resource.name).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\//);
      expect(ids.get(id), `${resource.name} and ${ids.get(id)} share ${id}`).toBeUndefined();
      ids.set(id, resource.name);
      const path = type.pathFromId(id);
      for (const key of type.pathInputs) expect(String(path[key]).toLowerCase(), `${resource.name}.${key}`).toBe(String(resource.args[key]).toLowerCase());
    }
    const vmExtension = planned().find((resource) => resource.type === "azure-native:compute:VirtualMachineExtension" && resource.name === "northwind-logistics-nwl-web01-antivirus");
    expect(ARM_TYPES.get("azure-native:compute:VirtualMachineExtension")?.id(vmExtension?.args ?? {}, vmExtension?.context ?? context)).toBe(
      "/subscriptions/8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-web01/extensions/antivirus",
    );
  });

  it("sees no change between a resource's inputs and the outputs it was created with, or read back with", () => {
    for (const resource of planned()) {
      const type = ARM_TYPES.get(resource.type);
      if (!type) throw new Error(resource.type);
      const id = type.id(resource.args, resource.context);
      const outputs = type.outputs(resource.args, id, resource.context);
      expect(diff(type, id, outputs, resource.args), resource.name).toEqual({ changes: [], replaces: [], detailed: {} });
      const readBack = inputsOf(type, id, outputs);
      expect(diff(type, id, outputs, readBack), `${resource.name} read back`).toEqual({ changes: [], replaces: [], detailed: {} });
    }
  });

  it("serves a virtual machine outside any baseline: its declared outputs, its ARM id, no change once created", () => {
    const type = ARM_TYPES.get("azure-native:compute:VirtualMachine");
    if (!type) throw new Error("no VM");
    const inputs: Bag = {
      vmName: "nwl-rogue01",
      resourceGroupName: "rg-nwl-app-prod",
      location: "northeurope",
      hardwareProfile: { vmSize: "Standard_B2s" },
      osProfile: { computerName: "nwl-rogue01", windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS" } } },
      storageProfile: { osDisk: { createOption: "FromImage", osType: "Windows" } },
    };
    const id = type.id(inputs, context);
    expect(id).toBe("/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-rogue01");
    const outputs = type.outputs(inputs, id, context);
    const declared = declaredOutputs(type.token);
    expect(Object.keys(outputs).filter((key) => !declared.has(key))).toEqual([]);
    expect(outputs).toMatchObject({ name: "nwl-rogue01", type: "Microsoft.Compute/virtualMachines", osProfile: inputs.osProfile, azureApiVersion: "2024-11-01" });
    expect(diff(type, id, outputs, inputs)).toEqual({ changes: [], replaces: [], detailed: {} });
    expect(diff(type, id, outputs, inputsOf(type, id, outputs))).toEqual({ changes: [], replaces: [], detailed: {} });
  });

  it("names each differing property, and replaces on a path input or location", () => {
    const type = ARM_TYPES.get("azure-native:compute:VirtualMachineExtension");
    if (!type) throw new Error("no VM extension");
    const inputs: Bag = {
      vmName: "nwl-web01",
      resourceGroupName: "rg-nwl-app-prod",
      vmExtensionName: "antivirus",
      location: "northeurope",
      settings: { RealtimeProtectionEnabled: "true", Exclusions: { Paths: "" } },
      tags: { "managed-by": "steward" },
    };
    const id = type.id(inputs, context);
    const outputs = type.outputs(inputs, id, context);
    const changed: Bag = { ...inputs, location: "North Europe", settings: { RealtimeProtectionEnabled: "false", Exclusions: { Paths: "" } }, tags: { "managed-by": "other", ring: "pilot" } };
    expect(diff(type, id, outputs, changed)).toEqual({
      changes: ["settings", "tags"],
      replaces: [],
      detailed: { "settings.RealtimeProtectionEnabled": "update", 'tags["managed-by"]': "update", "tags.ring": "add" },
    });
    expect(diff(type, id, outputs, { ...inputs, vmName: "nwl-web02", location: "westeurope" })).toEqual({
      changes: ["location", "vmName"],
      replaces: ["location", "vmName"],
      detailed: { location: "update-replace", vmName: "update-replace" },
    });
    expect(diff(type, id, outputs, { ...inputs, settings: UNKNOWN }).changes).toEqual(["settings"]);
  });

  it("matches inputs against outputs Azure adds fields to", () => {
    expect(carries({ name: "a", status: "Enabled" }, { name: "a" })).toBe(true);
    expect(carries([{ name: "a", status: "Enabled" }], [{ name: "a" }, { name: "b" }])).toBe(false);
    expect(carries({ name: "a" }, { name: "b" })).toBe(false);
    expect(carries("x", UNKNOWN)).toBe(false);
  });
});
