/**
 * Navigation targets from recordings. A recording is untrusted input: its URLs are judged the
 * way the browser will read them (the WHATWG URL parser, which drops leading spaces and control
 * characters and tabs or newlines anywhere, so `"\tfile:///etc/hostname"` and `" javascript:"`
 * are file: and javascript: URLs), and only http(s) ones are ever opened.
 */

const PROBE_BASE = 'http://app.invalid/';

/** Resolves `url` against the app URL (relative paths, a leading `/` too, stay under it); null unless the result is http(s). */
export function resolveHttpUrl(url: string, appUrl: string): string | null {
  let resolved: URL;
  try {
    const base = new URL(appUrl.endsWith('/') ? appUrl : `${appUrl}/`);
    // Parse as the browser would first: an absolute URL keeps its scheme, whatever whitespace surrounds it.
    const absolute = URL.canParse(url) ? new URL(url) : null;
    // Relative: as the parser will see it (tabs and newlines gone), without leading slashes, so it stays under the app URL.
    // ("./" keeps a path such as "/a:b" a path, not the scheme "a:").
    resolved = absolute ?? new URL(`./${url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020/\\]+/, '')}`, base);
  } catch {
    return null;
  }
  return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.toString() : null;
}

/** True when `url`, resolved against any http app URL, is an http(s) URL. */
export function isHttpTarget(url: string): boolean {
  return resolveHttpUrl(url, PROBE_BASE) !== null;
}
