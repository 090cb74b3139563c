export * from './common.ts';
export * from './pack.ts';
export * from './environment.ts';
export * from './seed.ts';
export * from './project.ts';
export * from './verdict.ts';
