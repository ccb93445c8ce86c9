/** Which app's field data is read when a field folder or store holds several. */

export class FieldSourceError extends Error {
  override name = 'FieldSourceError';
}

/**
 * The app whose points are read: the one asked for (the spec's or `--app`), else the only one
 * there is. Several apps and none named would merge unrelated apps' handlers: refused.
 */
export function chooseApp(apps: ReadonlyArray<string | null>, wanted: string | undefined, source: string): string | null | undefined {
  if (wanted !== undefined) return wanted;
  if (apps.length <= 1) return apps[0];
  throw new FieldSourceError(`${source} holds field data of ${apps.length} apps (${apps.map(appName).join(', ')}): name one with --app (or "app" in the spec)`);
}

/** An app as users read it: points without `service.name` are "(no service.name)". */
export function appName(app: string | null): string {
  return app ?? '(no service.name)';
}

