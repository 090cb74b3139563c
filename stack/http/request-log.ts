export type ServiceName = 'idp' | 'app' | 'api' | 'notebook' | 'terminal';

/** One line per request: fields that correlate requests, never headers, queries, bodies or cookies. */
export type RequestLogLine = {
  service: ServiceName;
  method: string;
  path: string;
  status: number;
  correlationId: string;
  ms: number;
  /** Why the request failed, when the handler said (see noteForLog). */
  detail?: string;
};

/** Writes the line as JSON on stdout, where the gate collects it as server-log evidence. */
export function logRequest(line: RequestLogLine): void {
  process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), ...line }) + '\n');
}
