// What tests/verify.test.mjs imports: the verifier and its byte helpers, bundled by esbuild for Node.
export { H, concat, hex, unhex, utf8, verifyInclusion } from './bytes';
export { decodeReceipt, verifySignature } from './verify';
