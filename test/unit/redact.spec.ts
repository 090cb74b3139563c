import { expect, test } from '@playwright/test';
import { createRedactor, redactDeep } from '../../src/evidence/redact.ts';

const redact = createRedactor(['s3cret-Passw0rd', 'client-secret-value']);

test('known secret values are removed wherever they appear', () => {
  expect(redact('typed s3cret-Passw0rd into #password')).toBe('typed [REDACTED] into #password');
  expect(redact('basic client-secret-value')).toBe('basic [REDACTED]');
});

test('OAuth codes, states and tokens in URLs are removed, the rest of the URL kept', () => {
  expect(redact('http://app/auth/callback?code=abc123&state=xyz&iss=http%3A%2F%2Fidp')).toBe(
    'http://app/auth/callback?code=[REDACTED]&state=[REDACTED]&iss=http%3A%2F%2Fidp',
  );
  expect(redact('https://idp/logout?id_token_hint=eyJhbGciOi.x.y')).toBe('https://idp/logout?id_token_hint=[REDACTED]');
});

test('bearer tokens, cookies, JWTs and credential fields are removed', () => {
  expect(redact('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer [REDACTED]');
  expect(redact('set-cookie: gpuaas_session=abcdef; HttpOnly')).toBe('set-cookie: [REDACTED]');
  expect(redact('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVl here')).toBe(
    'token [REDACTED] here',
  );
  expect(redact('{"password":"hunter2","user":"ada"}')).toBe('{"password":"[REDACTED]","user":"ada"}');
});

test('short values are left to the patterns, so ordinary words survive', () => {
  expect(createRedactor(['ada'])('ada signed in')).toBe('ada signed in');
});

test('redactDeep reaches every string in a JSON value', () => {
  expect(redactDeep({ a: ['s3cret-Passw0rd', 1], b: { c: 'x?code=1' } }, redact)).toEqual({
    a: ['[REDACTED]', 1],
    b: { c: 'x?code=[REDACTED]' },
  });
});
