/**
 * Fills a route's `:name` segments, each encoded: the web app and the tests build URLs from the
 * same table the server registers.
 */
export function pathOf(template: string, params: Record<string, string>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
