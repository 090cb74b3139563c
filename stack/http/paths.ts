/** A path segment decoded, or as sent when its escapes are malformed (it then matches no id). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
