/**
 * The domain's ports in memory, with the semantics of the AWS adapters (packages/adapters),
 * held to them by the shared port tests in test/ports. No AWS SDK here.
 */
export * from './stores.ts';
export * from './messaging.ts';
export * from './engine.ts';
export * from './monitor.ts';
export { isExpired, readBackMs, ttlSecond } from './expiry.ts';
export * from './pipeline.ts';
export * from './workspace-stores.ts';
export * from './notice-stores.ts';
