export {
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
  type EventPattern,
} from './event-pattern.ts';
export {
  DEFAULT_ACCOUNT,
  DEFAULT_BUS_NAME,
  LocalBusError,
  localCredentialsForAccount,
  startLocalEventBridge,
  type EventEnvelope,
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
export {
  startStandIns,
  type StandInClientConfig,
  type StandIns,
  type StandInService,
  type StandInsOptions,
} from './stand-ins.ts';
