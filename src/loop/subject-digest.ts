import path from 'node:path';
import { publishedFiles, sha256File } from '../evidence/attest.ts';
import { sha256 } from '../store/blobs.ts';

/**
 * A gate output folder's identity: SHA-256 of the subjects its attestation lists (every published
 * file by name and SHA-256, in the attestation's order and shape). The gate hands a run to the store
 * before it writes attestation.intoto.json, and the attestation is never a subject of itself, so the
 * run recorded then and the folder recorded again later by `gate record` have the same digest.
 */
export function subjectDigest(outputDir: string): string {
  const subjects = publishedFiles(outputDir).map(name => ({
    name,
    digest: { sha256: sha256File(path.join(outputDir, name)) },
  }));
  return sha256(JSON.stringify(subjects));
}
