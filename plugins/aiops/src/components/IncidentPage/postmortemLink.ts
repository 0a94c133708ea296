/**
 * Why `text` is not a postmortem link the backend takes, or `undefined` when it is: an absolute
 * http(s) URL without credentials (docs/correlation.md, "Resolution"). The page also links only
 * such URLs, so a stored `javascript:` URL could never become a link.
 */
export function postmortemLinkProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full link, starting with https://';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'Only http and https links';
  }
  if (url.username || url.password) {
    return 'Leave the user name and password out of the link';
  }
  return undefined;
}
