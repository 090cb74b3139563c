import path from 'node:path';

/** The packgate project under test. */
export const REPO = path.resolve(import.meta.dirname, '../..');

export { freePorts } from '../../src/net/free-port.ts';
