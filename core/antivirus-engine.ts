import type { AntivirusSettings, EndpointSettings } from "./config/client-config";
import { SCHEMA_DEFAULTS } from "./config/schema-defaults";

/**
 * Which antivirus each endpoint gets, and which of the client's antivirus settings can reach it.
 * The loader (refusing a stack file), the planner (refusing a configuration built in code) and
 * the plan itself (choosing the extension) all ask here, so they cannot disagree.
 *
 * Only Microsoft Antimalware (IaaSAntimalware, Windows only) takes steward's antivirus settings:
 * its extension settings carry real-time protection, the scheduled scan and the exclusions. Defender
 * for Endpoint's extensions (MDE.Windows, MDE.Linux) only onboard the machine; its antivirus
 * settings live in Defender for Endpoint security settings management (the Defender portal or
 * Intune), Group Policy, Configuration Manager or PowerShell on Windows, and the managed
 * configuration profile /etc/opt/microsoft/mdatp/managed/mdatp_managed.json on Linux — none of
 * which steward deploys or can see. A setting that would not reach an endpoint it is for is
 * refused, never dropped: refusing keeps the stack file a true statement of what is deployed, and
 * a policy judging a declared intent steward never deploys would pass or fail a machine on a
 * value it does not have.
 */

export type AntivirusProduct = "antimalware" | "mde";

/** The settings a client can write under `steward:antivirus` that only Microsoft Antimalware takes. */
export const ANTIMALWARE_SETTINGS = ["realtimeProtection", "scheduledScan", "exclusions"] as const;

/** Microsoft's recommended settings: what steward deploys to Microsoft Antimalware when nothing is
 *  written (the schema's defaults). */
export const DEFAULT_ANTIMALWARE_SETTINGS: Readonly<Pick<AntivirusSettings, (typeof ANTIMALWARE_SETTINGS)[number]>> = Object.freeze({
  realtimeProtection: SCHEMA_DEFAULTS.antivirus.realtimeProtection,
  scheduledScan: SCHEMA_DEFAULTS.antivirus.scheduledScan,
  exclusions: SCHEMA_DEFAULTS.antivirus.exclusions,
});

/** Microsoft Antimalware exists only for Windows: Linux endpoints always get Defender for Endpoint. */
export function antivirusProduct(engine: AntivirusSettings["engine"], os: EndpointSettings["os"]): AntivirusProduct {
  return engine === "antimalware" && os === "windows" ? "antimalware" : "mde";
}

/** The endpoints the settings are for (`appliesTo`), split by whether they get them. */
export function settingsReach(
  antivirus: Pick<AntivirusSettings, "engine" | "appliesTo">,
  endpoints: ReadonlyArray<Pick<EndpointSettings, "name" | "os">>,
): { reached: string[]; unreached: string[] } {
  const reached: string[] = [];
  const unreached: string[] = [];
  for (const endpoint of endpoints) {
    if (antivirus.appliesTo === "windows" && endpoint.os !== "windows") continue;
    (antivirusProduct(antivirus.engine, endpoint.os) === "antimalware" ? reached : unreached).push(endpoint.name);
  }
  return { reached, unreached };
}

/** "a, b and c"; at most `limit` names, then "and N more". */
export function nameList(names: readonly string[], limit = 5): string {
  if (names.length <= 1) return names.join("");
  if (names.length > limit) return `${names.slice(0, limit).join(", ")} and ${names.length - limit} more`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1) as string}`;
}

/**
 * Why a written antivirus setting is not deployed, or undefined when it reaches every endpoint it
 * is for: the words the loader and the planner both use.
 */
export function notDeployedReason(
  antivirus: Pick<AntivirusSettings, "engine" | "appliesTo">,
  endpoints: ReadonlyArray<Pick<EndpointSettings, "name" | "os">>,
): string | undefined {
  const { reached, unreached } = settingsReach(antivirus, endpoints);
  if (antivirus.engine === "defender-for-endpoint" && unreached.length > 0) {
    return (
      `is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, so ${nameList(unreached)} would not get it; ` +
      "set it where Defender for Endpoint's settings live (security settings management in the Defender portal or Intune, Group Policy, " +
      "or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)"
    );
  }
  if (unreached.length > 0) {
    return (
      `is not deployed to the Linux endpoints ${nameList(unreached)}: Microsoft Antimalware is Windows only, and their Defender for Endpoint ` +
      "extension (MDE.Linux) takes no antivirus settings (they live in mdatp managed configuration); write appliesTo: windows to deploy it to the Windows endpoints only"
    );
  }
  if (reached.length === 0) return "is not deployed to any endpoint: it applies to Windows endpoints and there are none; remove it";
  return undefined;
}
