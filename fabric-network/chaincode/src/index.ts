import { ProvenanceContract } from './contract';

export { ProvenanceContract } from './contract';
export * from './contract';

/** The contracts fabric-shim loads from this package (package.json "main"). */
export const contracts = [ProvenanceContract];
