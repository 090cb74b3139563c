/**
 * What the gate reporter needs once the tests are done: judging the run, writing and attesting its
 * outputs. Zod and the schemas come with it, so the reporter imports it while the tests run, not
 * before the first one starts (see GateReporter.verdictModules).
 */
export { assembleRun, withLateProblem } from '../src/gate/assemble.ts';
export { rewriteVerdict, writeGateOutputs } from '../src/gate/write-outputs.ts';
export { attestGateOutput } from '../src/evidence/attest.ts';
