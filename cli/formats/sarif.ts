import { createHash } from "node:crypto";
import type { Log, Notification, ReportingConfiguration, ReportingDescriptor, Result } from "sarif";
import type { Severity } from "../../core/document";
import type { PolicyDescriptor } from "../../core/engine";
import type { NotFullyEnforced } from "../../core/exceptions";
import type { GateFinding, GateReport } from "../../core/gate-report";
import { NOT_FULLY_ENFORCED, exceptionText, unwrap } from "./common";

/** Where `steward` is described: the project's namespace (its JSON Schemas' `$id`s use it too). */
export const STEWARD_INFORMATION_URI = "https://steward.dev/";
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
/** The artifact results point at when the caller names none: the Pulumi project file. */
export const DEFAULT_SARIF_ARTIFACT = "Pulumi.yaml";
/** The fingerprint GitHub code scanning uses (it ignores every other partial fingerprint). */
export const GITHUB_FINGERPRINT = "primaryLocationLineHash";
/** The same identity under steward's own versioned name, for other SARIF consumers. */
export const STEWARD_FINGERPRINT = "stewardFinding/v1";

export interface SarifOptions {
  /** steward's version (semantic version), e.g. package.json's `version`. */
  toolVersion: string;
  /** The policy catalog (`Object.values(engine.catalog)`): becomes `tool.driver.rules`. */
  rules: PolicyDescriptor[];
  /**
   * The file the findings are about, as a path relative to the repository root (what GitHub
   * resolves against) or absolute (becomes a `file://` URI): the preview JSON, the stack export,
   * or by default `Pulumi.yaml`.
   */
  artifact?: string;
}

/** GitHub shows `security-severity` as critical (≥ 9.0), high (7.0–8.9), medium (4.0–6.9), low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
/** GitHub's limit for rule descriptions. */
const DESCRIPTION_LIMIT = 1024;

const limit = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** `antivirus-installed` → `AntivirusInstalled`: SARIF wants a readable identifier as the rule name. */
const ruleName = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");

const isWebUri = (text: string) => {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
};

/** The rule's default level: its default enforcement, with low-severity advisory rules as notes. */
function defaultLevel(policy: Pick<PolicyDescriptor, "enforcement" | "severity">): ReportingConfiguration.level {
  if (policy.enforcement === "mandatory") return "error";
  return policy.severity === "low" ? "note" : "warning";
}

function rule(policy: PolicyDescriptor): ReportingDescriptor {
  const helpUri = policy.references.find(isWebUri);
  const references = policy.references.filter(isWebUri);
  // GitHub refuses empty descriptions and help: the title stands in for a missing text.
  const remediation = unwrap(policy.remediation) || policy.title;
  const markdown = references.length > 0 ? `${remediation}\n\nReferences:\n\n${references.map((uri) => `- <${uri}>`).join("\n")}` : remediation;
  return {
    id: policy.id,
    name: ruleName(policy.id),
    shortDescription: { text: limit(policy.title, DESCRIPTION_LIMIT) },
    fullDescription: { text: limit(unwrap(policy.description) || policy.title, DESCRIPTION_LIMIT) },
    help: { text: remediation, markdown },
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { level: defaultLevel(policy) },
    properties: { tags: ["security", policy.severity], precision: "very-high", "security-severity": SECURITY_SEVERITY[policy.severity] },
  };
}

/** A finding whose policy the catalog lacks still gets a rule, described by the finding itself. */
function ruleFromFinding(finding: GateFinding): PolicyDescriptor {
  const { policy: id, title, severity, enforcement, remediation } = finding;
  return { id, title, description: title, severity, enforcement, remediation, references: [] };
}

/**
 * The artifact as a URI reference: a relative path stays relative (GitHub resolves it against
 * the repository root), with `\` as `/` and each segment percent-encoded; an absolute path
 * (POSIX or a Windows drive) becomes a `file://` URI; a URI stays as it is.
 */
export function artifactUri(artifact: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(artifact)) return artifact;
  const path = artifact.replace(/\\/g, "/");
  const encode = (segments: string) => segments.split("/").map(encodeURIComponent).join("/");
  if (/^[A-Za-z]:\//.test(path)) return `file:///${path.slice(0, 2)}${encode(path.slice(2))}`;
  if (path.startsWith("/")) return `file://${encode(path)}`;
  return encode(path.replace(/^(\.\/)+/, ""));
}

/** Stable across runs: the same policy on the same resource saying the same thing. */
export function findingFingerprint(finding: Pick<GateFinding, "policy" | "urn" | "message">): string {
  return createHash("sha256").update(`${finding.policy}\u0000${finding.urn}\u0000${finding.message}`).digest("hex");
}

/** An entry with only the fields of the report's contract (nothing else a caller attached). */
function contractFields(entry: NotFullyEnforced): NotFullyEnforced {
  const { policy, title, severity, defaultEnforcement, level, resource, reason, approver, created, expires, daysLeft, findings } = entry;
  return { policy, title, severity, defaultEnforcement, level, resource, reason, approver, created, expires, daysLeft, findings };
}

/**
 * The gate report as SARIF 2.1.0 for GitHub code scanning (and any SARIF consumer): one run,
 * the policy catalog as rules, one result per finding the change leaves in place. Resolved
 * findings are left out (a SARIF upload replaces the previous one, so they close on their own);
 * waived findings carry an external suppression with the waiver's reason. The policies not fully
 * enforced for the client are tool configuration notifications of the run's invocation (warnings
 * on the rules they weaken) and, as the JSON report has them, `run.properties.notFullyEnforced`.
 */
export function toSarif(report: GateReport, options: SarifOptions): Log {
  const catalog = new Map<string, PolicyDescriptor>();
  for (const policy of options.rules) if (!catalog.has(policy.id)) catalog.set(policy.id, policy);
  const policies = [...catalog.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(policies.map((policy, position) => [policy.id, position]));
  for (const finding of report.findings) {
    if (!index.has(finding.policy)) {
      index.set(finding.policy, policies.length);
      policies.push(ruleFromFinding(finding));
    }
  }
  const uri = artifactUri(options.artifact ?? DEFAULT_SARIF_ARTIFACT);
  const results = report.findings
    .filter((finding) => finding.status !== "resolved")
    .map((finding): Result => {
      const fingerprint = findingFingerprint(finding);
      return {
        ruleId: finding.policy,
        ruleIndex: index.get(finding.policy) ?? -1,
        // Waived findings keep their level (the suppression says why); an existing mandatory
        // finding under --fail-on new does not fail the gate, so it is a warning.
        level: (finding.waiver === null ? finding.blocking : finding.enforcement === "mandatory") ? "error" : "warning",
        message: { text: finding.message },
        locations: [
          {
            // The stack-file entry behind the finding, so code scanning marks that line; else the
            // judged document, which has no line for a resource: line 1 of the file, the URN as
            // the logical location. GitHub needs a region to show a result.
            physicalLocation: finding.location
              ? { artifactLocation: { uri: artifactUri(finding.location.file) }, region: { startLine: finding.location.line, startColumn: finding.location.column } }
              : { artifactLocation: { uri }, region: { startLine: 1 } },
            logicalLocations: [{ fullyQualifiedName: finding.urn, kind: "resource" }],
          },
        ],
        partialFingerprints: { [GITHUB_FINGERPRINT]: fingerprint, [STEWARD_FINGERPRINT]: fingerprint },
        baselineState: finding.status === "new" ? "new" : "unchanged",
        ...(finding.waiver === null ? {} : { suppressions: [{ kind: "external", justification: finding.waiver.reason }] }),
      };
    });
  for (const entry of report.notFullyEnforced) {
    if (!index.has(entry.policy)) {
      const { policy: id, title, severity, defaultEnforcement: enforcement } = entry;
      index.set(id, policies.length);
      policies.push({ id, title, description: title, severity, enforcement, remediation: "", references: [] });
    }
  }
  const notifications = report.notFullyEnforced.map(
    (entry): Notification => ({
      level: "warning",
      message: { text: `${NOT_FULLY_ENFORCED}: ${exceptionText(entry)}` },
      associatedRule: { id: entry.policy, index: index.get(entry.policy) ?? -1 },
    }),
  );
  const weakened = report.notFullyEnforced.length > 0;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "steward", informationUri: STEWARD_INFORMATION_URI, semanticVersion: options.toolVersion, rules: policies.map(rule) },
        },
        ...(weakened ? { invocations: [{ executionSuccessful: true, toolConfigurationNotifications: notifications }] } : {}),
        results,
        ...(weakened ? { properties: { notFullyEnforced: report.notFullyEnforced.map(contractFields) } } : {}),
      },
    ],
  };
}
