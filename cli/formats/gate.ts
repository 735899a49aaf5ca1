import type { PolicyDescriptor } from "../../core/engine";
import type { GateReport } from "../../core/gate-report";
import type { GateFormat } from "../options";
import { toTable } from "./gate-table";
import { toGitHub } from "./github";
import { json } from "./json";
import { toJUnit } from "./junit";
import { toSarif } from "./sarif";

/** What the gate's formats need besides the report. */
export interface GateRenderContext {
  /** The policy catalog (SARIF rules). */
  rules: PolicyDescriptor[];
  /** steward's version (SARIF `semanticVersion`). */
  toolVersion: string;
  /** The document the gate judged, when it was a file (SARIF results point at it). */
  artifact?: string;
  /** ANSI colours in the table format. */
  color: boolean;
}

/** The gate's report in a format; `github` also has the Markdown for `$GITHUB_STEP_SUMMARY`. */
export function renderGate(report: GateReport, format: GateFormat, context: GateRenderContext): { output: string; stepSummary?: string } {
  switch (format) {
    case "json":
      return { output: json(report) };
    case "sarif":
      return {
        output: json(toSarif(report, { toolVersion: context.toolVersion, rules: context.rules, ...(context.artifact === undefined ? {} : { artifact: context.artifact }) })),
      };
    case "junit":
      return { output: toJUnit(report) };
    case "github": {
      const { annotations, summary } = toGitHub(report);
      return { output: annotations, stepSummary: summary };
    }
    case "table":
      return { output: toTable(report, { color: context.color }) };
  }
}
