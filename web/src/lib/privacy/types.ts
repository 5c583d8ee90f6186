import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '$lib/api';

/** GET /v1/privacy: the controller, each processing in words, what deletion does, the cookies. */
export type PrivacyFacts = InferResponseType<ApiClient['v1']['privacy']['$get'], 200>;
/** GET /v1/privacy/me: what Salon holds about the signed-in member. */
export type MemberPrivacy = InferResponseType<ApiClient['v1']['privacy']['me']['$get'], 200>;
/** GET /v1/privacy/{notice,record,dpia}: a rendered policy document. */
export type PolicyDocument = InferResponseType<ApiClient['v1']['privacy']['notice']['$get'], 200>;
export type LatestExport = MemberPrivacy['export']['latest'];
export type DataArea = MemberPrivacy['areas'][number];
export type Processing = PrivacyFacts['processing'][number];
export type Consequences = PrivacyFacts['deletion']['en'];
