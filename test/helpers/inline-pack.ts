/** Files for an extra pack written into a temp project, for gate rules the real catalogue does not exercise. */
export function inlinePack(options: {
  id: string;
  /** Stages the pack runs in, each blocking or advisory. */
  policy: Record<string, 'blocking' | 'advisory'>;
  layer: 'api' | 'remote';
  dependsOn?: string[];
  /** Body of the one test; runs with the pack fixtures. */
  body: string;
}): Record<string, string> {
  const { id, policy, layer, dependsOn = [], body } = options;
  return {
    [`packs/${id}/pack.yaml`]: `id: ${id}
title: ${id}
journey: A journey made up for a test.
owner: test-lane
required_proof: whatever the test says
policy: { ${Object.entries(policy)
      .map(([stage, p]) => `${stage}: ${p}`)
      .join(', ')} }
lowest_reliable_layer: ${layer}
layers: [${layer}]
depends_on: [${dependsOn.join(', ')}]
`,
    [`packs/${id}/tests.yaml`]: `${layer}.spec.ts:\n  - ${id} journey\n`,
    [`packs/${id}/${layer}.spec.ts`]: `import { expect, test } from '../../fixtures/index.ts';

test('${id} journey', async ({ env, api }) => {
  ${body}
});
`,
  };
}
