import type { Finding } from "../../core/engine";
import { ExitCode, StewardError } from "../../core/errors";

/** A plan with blocking findings: nothing of it may be created. */
export class BaselineRefusedError extends StewardError {
  constructor(
    /** What was refused, as the message names it: `client "acme"`, `ManagedEndpoint "acme-web-01" of client "acme"`. */
    readonly refused: string,
    /** Every blocking finding. */
    readonly findings: Finding[],
  ) {
    super(formatRefusal(refused, findings), ExitCode.BLOCKING_FINDINGS);
  }
}

/** A finding as Pulumi shows it: policy and message, the resource, and the fix on one line. */
export function formatFinding(finding: Finding): string {
  const remediation = finding.remediation.trim().replace(/\s*\n\s*/g, " ");
  return `[${finding.policy}] ${finding.message}\n      resource: ${finding.urn}\n      fix: ${remediation}`;
}

function formatRefusal(refused: string, findings: Finding[]): string {
  return (
    `steward preflight refused ${refused}: ${findings.length} blocking finding(s); nothing was created.\n` +
    findings.map((finding) => `  - ${formatFinding(finding)}`).join("\n")
  );
}
