import type { ClientSettings, UpdateRingSettings } from "../../core/config";
import { TYPES } from "../../core/azure";
import { COMPONENT_TYPES, childName, clientTags, type Plan } from "./model";

export interface RingPlanArgs {
  /** The client (`steward:client` as loadClientConfig returns it): its id and the ring's name name
   *  the maintenance configuration in Azure (`<client>-<ring>`); its resource group and location
   *  hold it. */
  client: ClientSettings;
  /** The ring (an entry of `steward:updateRings` as loadClientConfig returns it, its defaults
   *  applied). */
  ring: UpdateRingSettings;
}

/** The role of an UpdateRing's child: `<component>-<role>`. */
export const RING_ROLES = { schedule: "schedule" } as const;

const WEEKS_AFTER_PATCH_TUESDAY = ["Second", "Third", "Fourth"] as const;

/**
 * Azure Update Manager's recurrence for "N days after Patch Tuesday": the Nth Tuesday is a whole
 * number of weeks after the second, and Azure's offset covers the remaining 0-6 days.
 */
export function recurEvery(patchTuesdayOffsetDays: number): string {
  const week = WEEKS_AFTER_PATCH_TUESDAY[Math.floor(patchTuesdayOffsetDays / 7)];
  if (!week || !Number.isInteger(patchTuesdayOffsetDays) || patchTuesdayOffsetDays < 0) {
    throw new RangeError(`patchTuesdayOffsetDays ${patchTuesdayOffsetDays} is outside 0-20, which Azure's recurEvery can express`);
  }
  const offset = patchTuesdayOffsetDays % 7;
  return `Month ${week} Tuesday${offset === 0 ? "" : ` Offset${offset}`}`;
}

/** An UpdateRing named `name`: one InGuestPatch maintenance configuration anchored to Patch Tuesday. */
export function planRing(name: string, args: RingPlanArgs): Plan {
  const { client, ring } = args;
  return {
    components: [{ name, type: COMPONENT_TYPES.ring, parent: null }],
    resources: [
      {
        name: childName(name, RING_ROLES.schedule),
        type: TYPES.maintenanceConfiguration,
        parent: name,
        args: {
          resourceName: `${client.id}-${ring.name}`,
          resourceGroupName: client.resourceGroup,
          location: client.location,
          maintenanceScope: "InGuestPatch",
          visibility: "Custom",
          extensionProperties: { InGuestPatchMode: "User" },
          startDateTime: `2026-01-01 ${ring.startTime}`,
          duration: ring.duration,
          timeZone: ring.timeZone,
          recurEvery: recurEvery(ring.patchTuesdayOffsetDays),
          installPatches: {
            rebootSetting: ring.reboot,
            windowsParameters: { classificationsToInclude: ring.classifications.windows, kbNumbersToExclude: ring.exclusions.kbNumbers },
            linuxParameters: { classificationsToInclude: ring.classifications.linux, packageNameMasksToExclude: ring.exclusions.packages },
          },
          tags: clientTags(client, { ring: ring.name, "ring-order": String(ring.order) }),
        },
      },
    ],
  };
}
