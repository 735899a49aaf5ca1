import type { ClientSettings } from "../../core/config";
import { TYPES } from "../../core/azure";
import { COMPONENT_TYPES, alertContacts, childName, type Plan, type PlannedResource } from "./model";

export interface AntivirusPlanArgs {
  /** The client (`steward:client` as loadClientConfig returns it): Defender for Servers is turned
   *  on in its scope subscriptions, and whoever answers for antivirus is Defender for Cloud's
   *  security contact. */
  client: ClientSettings;
  /** Whether to turn on Defender for Servers Plan 2 in every scope subscription, which Defender for
   *  Endpoint (MDE.Windows, MDE.Linux) needs. Default: true (Defender for Endpoint is the default
   *  antivirus engine); ClientBaseline turns it on exactly when one of its endpoints gets MDE. */
  defenderForServers?: boolean;
}

/** The role of each child of an AntivirusPolicy: `<component>-<role>`. */
export const ANTIVIRUS_ROLES = {
  threatContacts: "threat-contacts",
  /** One per subscription, told apart by the subscription id's first block. */
  defenderForServers: (subscription: string) => `defender-servers-${subscription.slice(0, 8)}`,
} as const;

/**
 * An AntivirusPolicy named `name`: Defender for Servers Plan 2 (`VirtualMachines` pricing) in each
 * scope subscription when asked for, and Defender for Cloud's security contact, which sends its
 * threat alerts to whoever answers for antivirus.
 */
export function planAntivirus(name: string, args: AntivirusPlanArgs): Plan {
  const { client } = args;
  const pricing = (args.defenderForServers ?? true) ? client.scope.subscriptions : [];
  return {
    components: [{ name, type: COMPONENT_TYPES.antivirus, parent: null }],
    resources: [
      ...pricing.map(
        (subscription): PlannedResource => ({
          name: childName(name, ANTIVIRUS_ROLES.defenderForServers(subscription)),
          type: TYPES.pricing,
          parent: name,
          args: { pricingName: "VirtualMachines", pricingTier: "Standard", subPlan: "P2", scopeId: `subscriptions/${subscription}` },
        }),
      ),
      {
        name: childName(name, ANTIVIRUS_ROLES.threatContacts),
        type: TYPES.securityContact,
        parent: name,
        args: {
          securityContactName: "default",
          emails: alertContacts(client)
            .map((contact) => contact.email)
            .join(";"),
          isEnabled: true,
          notificationsByRole: { state: "On", roles: ["Owner"] },
          notificationsSources: [{ sourceType: "Alert", minimalSeverity: "Medium" }],
        },
      },
    ],
  };
}
