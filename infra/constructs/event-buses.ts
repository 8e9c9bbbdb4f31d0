/**
 * The two buses. Partners and teams write to the signals bus; the pipeline's own events go on
 * the pipeline bus, so they can never loop back into ingest. The signals bus keeps an archive
 * of everything it received, encrypted with its own key, from which an operator can replay a
 * period after a fix.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { names } from '../lib/names.ts';
import { dataKey } from './keys.ts';

export interface EventBusesProps {
  /** Prefix of the bus names. */
  readonly namePrefix: string;
  /**
   * How long the archive keeps what partners and teams sent. Partner entries carry addresses
   * and contact data, so this is as short as a replay needs. @default 30 days
   */
  readonly archiveRetention?: Duration;
  /** RETAIN for the archive key. @default false */
  readonly production?: boolean;
}

export class EventBuses extends Construct {
  readonly signals: events.EventBus;
  readonly pipeline: events.EventBus;
  readonly archive: events.Archive;
  readonly archiveKey: kms.Key;

  constructor(scope: Construct, id: string, props: EventBusesProps) {
    super(scope, id);
    this.signals = new events.EventBus(this, 'Signals', {
      eventBusName: names.signalsBus(props.namePrefix),
      description: 'vroegsignaal: what partners (source partner.<id>) and teams (source team.<id>) send',
    });
    this.pipeline = new events.EventBus(this, 'Pipeline', {
      eventBusName: names.pipelineBus(props.namePrefix),
      description: 'vroegsignaal: the pipeline\'s own events (source vroegsignaal)',
    });
    this.archiveKey = dataKey(this, 'ArchiveKey', {
      description: 'signals bus archive',
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // events.Archive, not bus.archive(): the latter drops kmsKey (aws-cdk-lib 2.276).
    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.signals,
      description: 'Everything partners and teams sent, for replay',
      // An empty prefix matches every event, from any account.
      eventPattern: { source: events.Match.prefix('') },
      retention: props.archiveRetention ?? Duration.days(30),
      kmsKey: this.archiveKey,
    });
  }
}
