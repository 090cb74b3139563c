import crypto from 'node:crypto';
import type { APIResponse } from '@playwright/test';
import { expect } from './pack.gen.ts';
import type { TraceContext } from '../../fixtures/trace.ts';

/**
 * Where each host and path must land: the named path of pack.yaml and the service behind it. The
 * notebook route is notebook-proxy's to prove (with its rewrite and owner check), so a broken
 * notebook route turns that pack red, not this one.
 */
export const ROUTES = [
  { path: 'app-echo', upstream: 'app' },
  { path: 'app-api-echo', upstream: 'api' },
  { path: 'api-echo', upstream: 'api' },
  { path: 'terminal-echo', upstream: 'terminal' },
] as const;

/** traceparent values a receiver must ignore (W3C Trace Context 3.2.2), each with what is wrong. */
export const MALFORMED_TRACEPARENTS = [
  { kind: 'all-zero trace id', value: `00-${'0'.repeat(32)}-${'a'.repeat(16)}-01` },
  { kind: 'all-zero parent id', value: `00-${'b'.repeat(32)}-${'0'.repeat(16)}-01` },
  { kind: 'uppercase hex', value: `00-${'AB'.repeat(16)}-${'CD'.repeat(8)}-01` },
  { kind: 'version ff', value: `ff-${'c'.repeat(32)}-${'d'.repeat(16)}-01` },
  { kind: 'too short', value: `00-${'e'.repeat(31)}-${'f'.repeat(16)}-01` },
];

/** A correlation id this test owns, to find its request in the answer and the log. */
export function correlationId(): string {
  return `packgate-${crypto.randomBytes(8).toString('hex')}`;
}

/** The proxy kept the trace of `sent` and gave it a new parent: in its answer's traceresponse. */
export function expectTraceKept(trace: TraceContext, response: APIResponse, sent: string): { parentId: string } {
  const ours = trace.parse(sent)!;
  const answered = trace.parse(response.headers()['traceresponse']);
  expect(
    answered,
    `the answer carries a valid traceresponse (got ${response.headers()['traceresponse']})`,
  ).toBeTruthy();
  expect(answered!.traceId, 'the trace id survives the proxy').toBe(ours.traceId);
  expect(answered!.parentId, 'the proxy is a new parent in the trace').not.toBe(ours.parentId);
  return answered!;
}

/** The proxy did not pass a malformed traceparent on: its answer names a new, valid trace. */
export function expectNewTrace(trace: TraceContext, response: APIResponse, malformed: string): void {
  const answered = trace.parse(response.headers()['traceresponse']);
  expect(answered, `a valid traceresponse (got ${response.headers()['traceresponse']})`).toBeTruthy();
  expect(answered!.traceId, 'a new trace, not the malformed one').not.toBe(malformed.split('-')[1]);
}
