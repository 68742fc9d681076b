/** The URL with any password replaced by `****`, for printing connection strings. */
export function maskUrlPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '****';
    return u.toString();
  } catch {
    return url;
  }
}
