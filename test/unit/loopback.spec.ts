import { expect, test } from '@playwright/test';
import { hostHeaderName, isLoopbackHost } from '../../src/net/loopback.ts';

test('loopback is localhost in any case, 127.0.0.0/8 and ::1; nothing else', () => {
  for (const host of [
    'localhost',
    'LocalHost',
    '127.0.0.1',
    '127.0.0.2',
    '127.255.0.9',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
  ])
    expect(isLoopbackHost(host), host).toBe(true);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.attacker.example', '127.0.0.1.nip.io', ''])
    expect(isLoopbackHost(host), host).toBe(false);
});

test("a Host header's name, without its port, lower-cased", () => {
  expect(hostHeaderName('LOCALHOST:4780')).toBe('localhost');
  expect(hostHeaderName('[::1]:4780')).toBe('[::1]');
  expect(hostHeaderName('127.0.0.1')).toBe('127.0.0.1');
});
