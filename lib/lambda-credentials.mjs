// Bundled in place of @aws-sdk/credential-provider-node in every Lambda bundle (lib/bundling.ts says why).
// Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN, the first source the SDK's default chain reads; the rest of that chain (profiles, SSO,
// web identity, container and instance metadata, with the STS and SSO clients they carry) is never reached there.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init = {}) => fromEnv(init);
