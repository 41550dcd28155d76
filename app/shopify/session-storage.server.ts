import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { PrismaClient } from "@prisma/client";

/**
 * Shopify's Prisma session storage, created once the database is open. `shopifyApp()` wants its
 * storage synchronously at import time, while our database opens (and migrates) asynchronously,
 * so this wrapper defers every call until the client exists.
 */
export class DeferredPrismaSessionStorage implements SessionStorage {
  private storage: Promise<PrismaSessionStorage<PrismaClient>>;

  constructor(prisma: () => Promise<PrismaClient>) {
    this.storage = prisma().then((client) => new PrismaSessionStorage(client));
  }

  /** True once the session table is reachable (the library's storage polls for it at start). */
  async isReady() {
    return (await this.storage).isReady();
  }

  async storeSession(session: Session) {
    return (await this.storage).storeSession(session);
  }
  async loadSession(id: string) {
    return (await this.storage).loadSession(id);
  }
  async deleteSession(id: string) {
    return (await this.storage).deleteSession(id);
  }
  async deleteSessions(ids: string[]) {
    return (await this.storage).deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    return (await this.storage).findSessionsByShop(shop);
  }
}
