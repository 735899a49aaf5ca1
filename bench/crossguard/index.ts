// The bench's anchor: what a CrossGuard author would write for one of steward's fourteen policies
// (antivirus-installed) in TypeScript, to measure the engine's own cost of a policy pack beside
// steward's. Like bench/conftest/antivirus.rego: every machine that a VM or Arc extension names must
// have an antivirus extension (Microsoft Antimalware, MDE.Windows, MDE.Linux). A stack policy sees
// outputs only, which azure-native gives without the machine's name, so a resource policy records
// each extension's inputs first, as steward's pack does.
import { PolicyPack } from "@pulumi/policy";

const EXTENSIONS = new Set(["azure-native:compute:VirtualMachineExtension", "azure-native:hybridcompute:MachineExtension"]);
const ANTIVIRUS = new Set(["iaasantimalware", "mde.windows", "mde.linux"]);

interface Extension {
  machine: string;
  antivirus: boolean;
}

const extensions = new Map<string, Extension>();

new PolicyPack("antivirus-anchor", {
  policies: [
    {
      name: "record-extensions",
      description: "Records which machine each extension is installed on",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        if (!EXTENSIONS.has(args.type)) return;
        const props = args.props as Record<string, unknown> & { properties?: { type?: unknown } };
        const machine = String(props.vmName ?? props.machineName ?? "");
        const handler = String(args.type.includes("hybridcompute") ? props.properties?.type : props.type).toLowerCase();
        extensions.set(args.urn, { machine: `${String(props.resourceGroupName ?? "").toLowerCase()}/${machine.toLowerCase()}`, antivirus: ANTIVIRUS.has(handler) });
      },
    },
    {
      name: "antivirus-installed",
      description: "Every machine an extension is installed on has an antivirus extension",
      enforcementLevel: "mandatory",
      validateStack: (args, reportViolation) => {
        const protectedMachines = new Map<string, boolean>();
        for (const resource of args.resources) {
          const extension = extensions.get(resource.urn);
          if (!extension) continue;
          protectedMachines.set(extension.machine, (protectedMachines.get(extension.machine) ?? false) || extension.antivirus);
        }
        for (const [machine, antivirus] of protectedMachines) {
          if (!antivirus) reportViolation(`machine ${machine} has no antivirus extension`);
        }
      },
    },
  ],
});
