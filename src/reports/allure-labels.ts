import type { Layer, Policy, Stage } from '../schema/common.ts';

/** An Allure label: `epic`, `feature`, `owner`, `severity`, `layer`, `tag` or one of packgate's own. */
export type ReportLabel = { name: string; value: string };

export type LabelledTest = {
  pack: { id: string; title: string; owner: string };
  /** The pack's policy in the environment the test ran in. */
  policy: Policy;
  environment: string;
  stage: Stage;
  layer: Layer;
  /** The task the run works on (TASK_ID), when there is one. */
  taskId?: string;
};

/**
 * The labels a gate test carries in Allure, all from its pack and where it ran: the pack as epic and
 * feature (Allure's behaviour tree groups by journey), the pack's owner, a severity from its policy
 * there (a blocking pack's failure stops the release: blocker), its layer, and tags for environment,
 * stage and layer so the report filters the way the gate's projects split.
 */
export function allureLabels(test: LabelledTest): ReportLabel[] {
  return [
    { name: 'epic', value: test.pack.title },
    { name: 'feature', value: test.pack.id },
    { name: 'pack', value: test.pack.id },
    { name: 'owner', value: test.pack.owner },
    { name: 'severity', value: test.policy === 'blocking' ? 'blocker' : 'normal' },
    { name: 'layer', value: test.layer },
    { name: 'policy', value: test.policy },
    { name: 'tag', value: `env:${test.environment}` },
    { name: 'tag', value: `stage:${test.stage}` },
    { name: 'tag', value: `layer:${test.layer}` },
    ...(test.taskId
      ? [
          { name: 'task', value: test.taskId },
          { name: 'tag', value: `task:${test.taskId}` },
        ]
      : []),
  ];
}
