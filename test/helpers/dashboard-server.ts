import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { RunResult, TempProject } from './temp-project.ts';

/** A `packgate dashboard` running in a test project, stopped with SIGTERM by `stop`. */
export type RunningDashboard = { url: string; child: ChildProcess; stop(): Promise<RunResult> };

/** Starts the dashboard with --json and waits for the line that gives its URL. */
export async function startDashboardCli(
  project: TempProject,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningDashboard> {
  const { child, done } = project.start([`${project.dir}/bin/packgate.js`, 'dashboard', '--json', ...args], env);
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const match = /"url": "([^"]+)"/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void done.then(result => reject(new Error(`the dashboard exited ${result.exitCode}: ${result.output}`)));
  });
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * A request with the path sent exactly as written (fetch would resolve `..` before sending it), any
 * method, any Host header.
 */
export function rawRequest(
  base: string,
  rawPath: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: rawPath, method: options.method ?? 'GET', headers: options.headers },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
