/**
 * `@vroegsignaal/stand-ins`: AWS on one machine, without an account or Docker. DynamoDB
 * (dynalite), SQS (fauxqs), a local EventBridge and EventBridge Scheduler, each spoken to by
 * the real AWS SDK v3 clients; an SQS event source that invokes handlers as Lambda does; and
 * the local runtime, which runs the deployed handler code on them.
 */
export {
  DEFAULT_BUS_NAME,
  LocalBusError,
  startLocalEventBridge,
  type LocalBusErrorCode,
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  type LocalEventBridgeStats,
  type LocalRule,
  type RuleTarget,
} from './local-event-bus.ts';
export {
  LambdaTimeoutError,
  QuietTimeoutError,
  startSqsEventSource,
  waitForQuiet,
  type SqsEventSource,
  type SqsEventSourceOptions,
  type SqsEventSourceStats,
  type SqsLambdaHandler,
  type WaitForQuietOptions,
} from './sqs-event-source.ts';
export { startStandIns, type StandInClientConfig, type StandIns, type StandInService, type StandInsOptions } from './stand-ins.ts';
export { startLocalScheduler, type LocalScheduler } from './local-scheduler.ts';
export { byService, countCapacity, countPublishedEvents, countRequests, type RequestCounts } from './request-counter.ts';
export { divertHandlerOutput } from './handler-output.ts';
export {
  BUFFERS,
  LOCAL_HOUSEHOLD_SECRET,
  LOCAL_QUEUE_PREFIX,
  LOCAL_TABLE_NAME,
  startLocalPipeline,
  withLocalPipeline,
  type BufferName,
  type HandlerClients,
  type LocalPipeline,
  type LocalPipelineOptions,
  type TeamDelivery,
} from './pipeline.ts';
export {
  LOCAL_CLIENT_ID,
  LOCAL_MAIL_DOMAIN,
  LOCAL_PASSWORD,
  localIdentityUsers,
  startLocalIdentityProvider,
  type LocalIdentityOptions,
  type LocalIdentityProvider,
  type LocalIdentityUser,
} from './local-identity.ts';
export { seedLocalMembers } from './local-members.ts';
export { startLocalWorkspace, type LocalWorkspace, type LocalWorkspaceOptions } from './workspace.ts';
export { startLocalMailServer, type LocalMailServer, type LocalMailServerOptions, type ReceivedMail } from './local-mail-server.ts';
