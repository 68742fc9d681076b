// What global-setup.ts hands to every test worker through `inject()`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** nats://… of a JetStream-enabled server shared by the whole run. */
    natsUrl: string;
    /** postgres://… admin URL; tests create their own database with useDatabase(). */
    databaseUrl: string;
  }
}

export {};
