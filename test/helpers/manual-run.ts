import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import type { TempProject } from './temp-project.ts';

/** auth-session with a manual check starting at its shell, and `environment` running the manual layer. */
export function withManualCheck(project: TempProject, environment = 'local'): void {
  project.edit(
    'packs/auth-session/pack.yaml',
    text =>
      text.replace(/^ {2}remote: .*\n/m, '$&  manual: []\n') +
      'manual:\n' +
      '  - id: shell-greets\n' +
      '    title: The shell greets the signed-in user\n' +
      '    start: shell\n' +
      '    steps: [Look at the header, Close the page]\n' +
      '    expected: The header names the signed-in user\n' +
      '    lane: C-ops\n' +
      '    valid_for: 2d\n',
  );
  project.edit(`environments/${environment}.yaml`, text => text.replace(/^layers: \[(.*)\]$/m, 'layers: [$1, manual]'));
}

export type ManualRun = {
  /** Resolves when stderr holds `text` (or, for a pattern, its first group); rejects if the run exits first. */
  said(text: string | RegExp): Promise<string>;
  exited: Promise<number | null>;
  stdin: NodeJS.WritableStream;
  stdout(): string;
  stderr(): string;
  kill(): void;
  /** Ctrl-C to packgate itself (xvfb-run, which started it, does not pass signals on). */
  interrupt(): void;
};

/**
 * `packgate manual run <args>` in a headed browser under Xvfb, its remote debugging on a free port
 * (said on stderr), for a scripted stand-in of the person to connect to. The environment is the
 * project's (and `extraEnv`), without the test runner's own variables.
 */
export function startManualRun(
  project: TempProject,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): ManualRun {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !/^(TEST_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH)|PACKGATE_)/.test(key)) env[key] = value;
  const child = spawn(
    'xvfb-run',
    [
      '-a',
      process.execPath,
      path.join(project.dir, 'bin/packgate.js'),
      ...['manual', 'run', ...args, '--remote-debugging-port', '0'],
    ],
    { cwd: project.dir, env: { ...env, ...project.env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  const said = (text: string | RegExp) =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const found = typeof text === 'string' ? (stderr.includes(text) ? text : undefined) : text.exec(stderr)?.[1];
        if (found) resolve(found);
      };
      child.stderr.on('data', look);
      child.on('exit', code =>
        reject(new Error(`manual run exited ${code} before saying ${text}:\n${stderr}${stdout}`)),
      );
      look();
    });
  return {
    said,
    exited: new Promise(resolve => child.on('exit', resolve)),
    stdin: child.stdin,
    stdout: () => stdout,
    stderr: () => stderr,
    kill: () => child.kill(),
    interrupt: () => {
      const pid = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'bin/packgate.js'], { encoding: 'utf8' });
      process.kill(Number(pid.trim().split('\n')[0]), 'SIGINT');
    },
  };
}
