/** The seven kinds of credential the canary test plants and the scanner's own test encodes. */
export const SECRET_KINDS = [
  'password',
  'client-secret',
  'session-cookie',
  'access-token',
  'authorization-code',
  'code-verifier',
  'refresh-token',
];
