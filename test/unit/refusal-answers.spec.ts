import { expect, test } from '@playwright/test';
import { contradictedRefusals } from '../../fixtures/refusal-answers.ts';
import type { Refusal } from '../../src/schema/refusal.ts';

const refusal = (action: string, status: Refusal['status']): Refusal => ({
  id: 'r',
  as: 'no-session',
  action,
  status,
  unchanged: 'nothing',
});
const urlOf = (paths: Record<string, string>) => (name: string) =>
  paths[name] === undefined ? undefined : `http://127.0.0.1:4000/base${paths[name]}`;

test('a placeholder matches any one segment, on the base the environment gives, whatever the query', () => {
  const socket = urlOf({ socket: '/terminals/{allocation}/ws' });
  const answers = [{ method: 'WS', url: 'http://127.0.0.1:4000/base/terminals/a%2F1/ws?x=1', status: 404 }];
  expect(contradictedRefusals([refusal('WS socket', 403)], answers, socket)).toEqual([
    'refusal "r" declares WS socket answered 403, but this test\'s WS socket request was answered 404',
  ]);
  expect(contradictedRefusals([refusal('WS socket', [403, 404])], answers, socket)).toEqual([]);
  // Another method, another path, another base path, more segments: not the refusal's action.
  const others = [
    { method: 'GET', url: 'http://127.0.0.1:4000/base/terminals/a/ws', status: 200 },
    { method: 'WS', url: 'http://127.0.0.1:4000/terminals/a/ws', status: 200 },
    { method: 'WS', url: 'http://127.0.0.1:4000/base/terminals/a/b/ws', status: 200 },
  ];
  expect(contradictedRefusals([refusal('WS socket', 403)], others, socket)).toEqual([]);
});

test('one declared answer among the action’s answers proves it; a name the pack lacks is lint’s to report', () => {
  const paths = urlOf({ me: '/v1/me' });
  const answers = [
    { method: 'GET', url: 'http://127.0.0.1:4000/base/v1/me', status: 200 },
    { method: 'GET', url: 'http://127.0.0.1:4000/base/v1/me/', status: 401 },
  ];
  expect(contradictedRefusals([refusal('GET me', 401)], answers, paths)).toEqual([]);
  expect(contradictedRefusals([refusal('GET me', 403)], answers, paths)).toEqual([
    'refusal "r" declares GET me answered 403, but this test\'s GET me requests were answered 200, 401',
  ]);
  expect(contradictedRefusals([refusal('GET nobody', 403)], answers, paths)).toEqual([]);
});
