/** Lambda entry: Cognito's pre token generation trigger for federated workspace members. */
import * as z from 'zod';
import { ENV } from '@vroegsignaal/adapters';
import { readEnvironment } from '../lib/environment.ts';
import { createFederatedGroupsHandler } from './handler.ts';

const env = readEnvironment([ENV.federatedGroupMappings]);
const mappings = z.record(z.string(), z.record(z.string(), z.string())).parse(JSON.parse(env[ENV.federatedGroupMappings]));

export const handler = createFederatedGroupsHandler(mappings);
