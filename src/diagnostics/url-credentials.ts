/**
 * A URL's password (`https://user:password@host`) as `***`, wherever a message quotes the URL: a
 * descriptor or env var may carry credentials in one (a proxy's, a basic-auth deployment's), and a
 * terminal and a CI log are no place for them. The user name stays, as the store's own masking
 * keeps it (`postgresql://agent:***@db`, `postgresql://agent@/queue`): which account is half of
 * what a person needs to know.
 * PackgateError's message and every located problem pass through it; hints do not, whose example
 * URLs (`postgresql://user:password@host`) are packgate's own words. A quote ends the user part, so
 * a URL in a JSON text never reaches past its own string. A password shown as `***` already stays so.
 */
export function hideUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'`<>]+)@/gi, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon === -1 ? userinfo : `${userinfo.slice(0, colon)}:***`}@`;
  });
}
