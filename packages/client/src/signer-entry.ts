// `@licensewatch/client/signer`: LMPI request signing on its own, for a provider or a test that
// must sign requests the way the client does (the sandbox's tests, a proxy). The client signs
// every attempt itself; most users never need this.
export type { HeaderInput, SignatureInput } from './signer.js';
export { bodyDigest, LMPI_CONTENT_TYPE, lmpiHeaders, signLmpiRequest, stringToSign } from './signer.js';
