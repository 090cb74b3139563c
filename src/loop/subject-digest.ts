import path from 'node:path';
import { gateFiles, sha256File } from '../evidence/attest.ts';
import { sha256 } from '../store/blobs.ts';

/**
 * A gate output folder's identity: SHA-256 of the gate's own files among its attestation's subjects
 * (verdict, summary and evidence by name and SHA-256, in the attestation's order and shape). The
 * gate hands a run to the store before it writes attestation.intoto.json and before JUnit and Allure
 * write theirs, so the run recorded then and the folder recorded again later by `gate record` have
 * the same digest.
 */
export function subjectDigest(outputDir: string): string {
  const subjects = gateFiles(outputDir).map(name => ({
    name,
    digest: { sha256: sha256File(path.join(outputDir, name)) },
  }));
  return sha256(JSON.stringify(subjects));
}
