/**
 * Path globs as packets write them, over paths relative to the repository root with forward slashes:
 *
 * - `*` any run of characters within one path segment, `?` one character
 * - `**` any number of whole segments: `src/**` is everything under src/, `**\/*.md` every .md file
 * - `{a,b}` either alternative
 * - a trailing `/` means the folder and everything under it (`docs/` is `docs/**`)
 *
 * A glob is anchored at the root: `README.md` is the root's README, not every README.
 */
export type GlobMatcher = (file: string) => boolean;

export function compileGlob(glob: string): GlobMatcher {
  const pattern = glob.endsWith('/') ? `${glob}**` : glob;
  const regex = new RegExp(`^${translate(pattern)}$`);
  return file => regex.test(file);
}

/** Whether `file` matches any of `globs`, and the first that does. */
export function firstMatch(globs: readonly string[], file: string): string | undefined {
  return globs.find(glob => compileGlob(glob)(file));
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      const slashAfter = glob[i + 2] === '/';
      if (atSegmentStart && slashAfter) {
        out += '(?:.*/)?';
        i += 2;
      } else if (atSegmentStart && i + 2 === glob.length) {
        out += '.*';
        i += 1;
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map(translate)
          .join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return out;
}
