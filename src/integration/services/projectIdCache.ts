/**
 * Project ids by base URL and project name, bounded (oldest dropped first). Its owner decides its
 * lifetime: the bot's DataIntegrationClients keeps one for the whole process, so clients built per
 * turn share what earlier turns learned.
 */
export class ProjectIdCache {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity = 50_000) {}

  get(baseUrl: string, projectName: string): string | undefined {
    return this.ids.get(keyOf(baseUrl, projectName));
  }

  set(baseUrl: string, projectName: string, id: string): void {
    const key = keyOf(baseUrl, projectName);
    this.ids.delete(key);
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.keys().next().value!);
    this.ids.set(key, id);
  }
}

const keyOf = (baseUrl: string, projectName: string) => `${baseUrl}|${projectName}`;
