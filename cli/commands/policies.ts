import { PolicyEngine } from "../../core/engine";
import { json, table, type OutputFormat } from "../output";

export function policies(options: { format: OutputFormat }): void {
  const engine = PolicyEngine.loadSync();
  const catalog = Object.values(engine.catalog).sort((a, b) => a.id.localeCompare(b.id));
  if (options.format === "json") {
    process.stdout.write(json({ version: 1, policies: catalog }));
    return;
  }
  process.stdout.write(
    table(
      ["POLICY", "SEVERITY", "ENFORCEMENT", "TITLE"],
      catalog.map((policy) => [policy.id, policy.severity, policy.enforcement, policy.title]),
    ),
  );
}
