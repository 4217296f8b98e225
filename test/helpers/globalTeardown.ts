/** Stops the Azurite that the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { stopSharedAzurite?: () => Promise<void> }).stopSharedAzurite?.();
}
