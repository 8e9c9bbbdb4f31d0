export * from './table-layout.ts';
export * from './dynamodb.ts';
export * from './sqs.ts';
export * from './eventbridge.ts';
export * from './scheduler.ts';
export * from './deployment.ts';
export * from './reports.ts';
