import fs from 'node:fs';
import { stringify } from 'yaml';
import type { TaskProject } from './task-project.ts';

/** Writes a watcher packet into the project as `watch new` would, with what the test says. */
export function writeWatcher(project: TaskProject, file: string, packet: Record<string, unknown>): string {
  project.write({ [file]: stringify({ schema_version: 1, lane: 'C-ops', expected_duration: '30s', ...packet }) });
  return file;
}

/** Whether a process is gone: no such pid, or a zombie no one has reaped yet (it runs no more). */
export function processGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
