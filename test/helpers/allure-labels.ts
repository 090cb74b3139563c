import fs from 'node:fs';
import path from 'node:path';

type Labelled = { name: string; labels: Array<{ name: string; value: string }> };

/** The labels of every test result in a folder of Allure JSON files, by test name. */
export function labelsByTest(dir: string, file: RegExp): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  for (const name of fs.readdirSync(dir).filter(n => file.test(n))) {
    const result = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Labelled;
    const labels: Record<string, string[]> = {};
    for (const { name: label, value } of result.labels) (labels[label] ??= []).push(value);
    out.set(result.name, labels);
  }
  return out;
}

type Step = { name: string; status?: string; steps?: Step[] };

/** The steps of the results in a folder of Allure JSON files that `pick` picks, as `test › step › step`. */
export function stepsWhere(dir: string, file: RegExp, pick: (step: Step) => boolean): string[] {
  const out: string[] = [];
  const walk = (steps: Step[] = [], at: string) => {
    for (const step of steps) {
      const here = `${at} › ${step.name}`;
      if (pick(step)) out.push(here);
      walk(step.steps, here);
    }
  };
  for (const name of fs.readdirSync(dir).filter(n => file.test(n))) {
    const result = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Step;
    walk(result.steps, result.name);
  }
  return out;
}
