import type { ClientConfig } from "./config/client-config";
import type { DeclaredBaseline } from "./document";

/** What the client's configuration declares, in the document's terms (of a component on its
 *  own: the client, and the endpoints and rings the component deploys). */
export function declaredBaseline(config: Pick<ClientConfig, "client" | "endpoints" | "updateRings">): DeclaredBaseline {
  return {
    clientId: config.client.id,
    displayName: config.client.displayName,
    subscriptionId: config.client.scope.subscriptions[0],
    endpoints: config.endpoints.map(({ name, kind, os, resourceGroup, subscriptionId, ring, role }) => ({
      name,
      kind,
      os,
      resourceGroup,
      subscriptionId,
      ring: ring ?? null,
      ...(role ? { role } : {}),
    })),
    rings: config.updateRings.map(({ name, order }) => ({ name, order })),
    responsibilities: config.client.responsibilities,
    contacts: {
      msp: config.client.contacts.msp.map((contact) => contact.email.toLowerCase()),
      client: config.client.contacts.client.map((contact) => contact.email.toLowerCase()),
    },
  };
}
