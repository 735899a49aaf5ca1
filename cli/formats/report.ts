// The compliance report's renderers, one per format. A format is one entry here (and its name in
// cli/options.ts COMPLIANCE_FORMATS): `steward report --out` writes every format of every report.
import type { ClientComplianceReport, FleetClient, FleetOverview, ReportManifest } from "../../core/compliance";
import type { ComplianceFormat } from "../options";
import { json } from "./json";
import { clientHtml, fleetHtml, manifestHtml, overviewHtml } from "./report-html";
import { clientMarkdown, fleetMarkdown, manifestMarkdown, overviewMarkdown } from "./report-markdown";

export interface ComplianceRenderer {
  /** The file name extension `--out` gives it. */
  extension: string;
  /** One client's report. */
  client(report: ClientComplianceReport): string;
  /** The fleet overview, each client linking to its report's file (`link`). */
  overview(overview: FleetOverview, link: (client: FleetClient) => string): string;
  /** The overview and every report as one document (a fleet run without `--out`). */
  fleet(overview: FleetOverview, reports: readonly ClientComplianceReport[]): string;
  /** What a run with `--out` wrote. */
  manifest(manifest: ReportManifest): string;
}

export const COMPLIANCE_RENDERERS: Readonly<Record<ComplianceFormat, ComplianceRenderer>> = {
  json: { extension: "json", client: json, overview: json, fleet: (overview, reports) => json({ overview, reports }), manifest: json },
  markdown: { extension: "md", client: clientMarkdown, overview: overviewMarkdown, fleet: fleetMarkdown, manifest: manifestMarkdown },
  html: { extension: "html", client: clientHtml, overview: overviewHtml, fleet: fleetHtml, manifest: manifestHtml },
};
