import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { inlineScriptHashes } from '../../src/dashboard/report-route.ts';
import { verdictQualityGate, type ReportedVerdict } from '../../src/reports/allure-quality-gate.ts';

const BLOCKED: ReportedVerdict = {
  verdict: 'BLOCKED',
  headline: 'BLOCKED: 2 blocking packs',
  environment: 'demo',
  packs: [
    { id: 'auth', title: 'Auth', status: 'FAIL', blocks: true, reason: 'sign-in failed at step "callback"' },
    { id: 'shell', title: 'Shell', status: 'BLOCKED_BY_UPSTREAM', blocks: true, reason: 'blocked by upstream "auth"' },
    { id: 'hosts', title: 'Hosts', status: 'FLAKY', blocks: false, reason: 'passed on retry' },
    { id: 'term', title: 'Terminal', status: 'NOT_SELECTED', blocks: false, reason: 'not selected by this run' },
  ],
};

test("the verdict as Allure's quality gate: the verdict's rule, then one per pack judged, failed where the pack blocks, its failed tests under it", () => {
  const tests = [
    { id: 't1', status: 'failed', pack: 'auth' },
    { id: 't2', status: 'passed', pack: 'auth' },
    { id: 't3', status: 'broken', pack: 'auth' },
    { id: 't4', status: 'failed' },
    { id: 't5', status: 'passed', pack: 'hosts' },
  ];
  expect(verdictQualityGate(BLOCKED, tests)).toEqual([
    {
      success: false,
      rule: 'packgate verdict',
      expected: 'PASS or PASS_WITH_WARNINGS',
      actual: 'BLOCKED',
      message: 'BLOCKED: 2 blocking packs; blocked by auth, shell',
      testResults: [],
    },
    {
      success: false,
      rule: 'packgate pack auth',
      expected: 'not blocking',
      actual: 'FAIL',
      message: 'Auth (auth): FAIL, blocks the release: sign-in failed at step "callback"',
      testResults: ['t1', 't3'],
    },
    expect.objectContaining({ success: false, rule: 'packgate pack shell', actual: 'BLOCKED_BY_UPSTREAM' }),
    {
      success: true,
      rule: 'packgate pack hosts',
      expected: 'not blocking',
      actual: 'FLAKY',
      message: 'Hosts (hosts): FLAKY: passed on retry',
      testResults: [],
    },
  ]);
  const pass = verdictQualityGate({ ...BLOCKED, verdict: 'PASS', headline: 'PASS', packs: [] }, tests);
  expect(pass).toEqual([expect.objectContaining({ success: true, actual: 'PASS', message: 'PASS' })]);
});

test("the report's policy allows its page's inline scripts by hash, never a script loaded from a src", () => {
  const inline = '\n  window.allure = window.allure || {};\n';
  const page = `<head><script>${inline}</script><script src="app.js"></script><script async src="https://example.test/t.js"></script><SCRIPT async>x()</SCRIPT></head>`;
  const hash = (text: string) => createHash('sha256').update(text).digest('base64');
  expect(inlineScriptHashes(page)).toEqual([hash(inline), hash('x()')]);
});
