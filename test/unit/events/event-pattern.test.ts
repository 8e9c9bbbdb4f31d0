/**
 * The local matcher against the examples of the EventBridge user guide ("Content filtering in
 * Amazon EventBridge event patterns", "Arrays in event patterns", "Null values and empty
 * strings"), and the project's own rules against the events they must and must not route.
 */
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesEventPattern, validateEventPattern, type EventPattern } from '@vroegsignaal/events';
import { partnerOutcomesPattern, PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE, RULES } from '@vroegsignaal/events';

/** Validates first, as the bus does when a rule is added, so every case also checks validation. */
function matches(pattern: EventPattern, event: Record<string, unknown>): boolean {
  validateEventPattern(pattern);
  return matchesEventPattern(pattern, event);
}

function envelope(source: string, detailType: string, detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2017-10-02T18:43:48Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

describe('exact values', () => {
  const pattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches when every named field has one of the listed values', () => {
    expect(matches(pattern, envelope('aws.ec2', 'EC2 Instance State-change Notification', { state: 'terminated' }))).toBe(true);
    expect(matches({ source: ['aws.ec2', 'aws.fargate'] }, envelope('aws.fargate', 'x'))).toBe(true);
  });

  it('does not match a different value, a missing field or a different nesting', () => {
    expect(matches(pattern, envelope('aws.ec2', 'EC2 Instance State-change Notification', { state: 'running' }))).toBe(false);
    expect(matches(pattern, envelope('aws.ec2', 'EC2 Instance State-change Notification', {}))).toBe(false);
    expect(matches({ state: ['terminated'] }, envelope('aws.ec2', 'x', { state: 'terminated' }))).toBe(false);
  });

  it('is case-sensitive and keeps strings, numbers, booleans and null apart', () => {
    expect(matches({ detail: { state: ['Terminated'] } }, envelope('s', 't', { state: 'terminated' }))).toBe(false);
    expect(matches({ detail: { limit: [300] } }, envelope('s', 't', { limit: 3.0e2 }))).toBe(true);
    expect(matches({ detail: { limit: [300] } }, envelope('s', 't', { limit: '300' }))).toBe(false);
    expect(matches({ detail: { limit: ['300'] } }, envelope('s', 't', { limit: 300 }))).toBe(false);
    expect(matches({ detail: { enabled: [true] } }, envelope('s', 't', { enabled: true }))).toBe(true);
    expect(matches({ detail: { enabled: [true] } }, envelope('s', 't', { enabled: 'true' }))).toBe(false);
  });

  it('matches null and the empty string only where the event has exactly that (user guide example)', () => {
    const nullPattern = { detail: { responseElements: [null] } };
    expect(matches(nullPattern, envelope('s', 't', { responseElements: null }))).toBe(true);
    expect(matches(nullPattern, envelope('s', 't', {}))).toBe(false);
    expect(matches(nullPattern, envelope('s', 't', { responseElements: '' }))).toBe(false);
    const emptyPattern = { detail: { eventVersion: [''] } };
    expect(matches(emptyPattern, envelope('s', 't', { eventVersion: '' }))).toBe(true);
    expect(matches(emptyPattern, envelope('s', 't', { eventVersion: null }))).toBe(false);
  });
});

describe('arrays in events', () => {
  it('matches when the pattern and the event array share a value (user guide example)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      ...envelope('aws.ec2', 'x'),
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { ...event, resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] })).toBe(false);
    expect(matches(pattern, { ...event, resources: [] })).toBe(false);
  });

  it('applies operators to each element', () => {
    const event = envelope('s', 't', { tags: ['alpha', 'beta-1'], counts: [1, 50] });
    expect(matches({ detail: { tags: [{ prefix: 'beta' }] } }, event)).toBe(true);
    expect(matches({ detail: { counts: [{ numeric: ['>', 10] }] } }, event)).toBe(true);
    expect(matches({ detail: { counts: [{ numeric: ['>', 100] }] } }, event)).toBe(false);
  });

  it('matches a nested pattern against one element of an array of objects', () => {
    const event = envelope('s', 't', {
      items: [
        { kind: 'rent', amount: 10 },
        { kind: 'energy', amount: 900 },
      ],
    });
    expect(matches({ detail: { items: { kind: ['energy'], amount: [{ numeric: ['>', 500] }] } } }, event)).toBe(true);
    // Both conditions must hold for the same element.
    expect(matches({ detail: { items: { kind: ['rent'], amount: [{ numeric: ['>', 500] }] } } }, event)).toBe(false);
  });
});

describe('prefix and suffix', () => {
  it('prefix: "time" starting with 2017-10-02 (user guide example)', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matches(pattern, { ...envelope('s', 't'), time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matches(pattern, { ...envelope('s', 't'), time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('prefix: Auto Scaling events from European regions (user guide example)', () => {
    const pattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };
    expect(matches(pattern, { ...envelope('aws.autoscaling', 't'), region: 'eu-west-1' })).toBe(true);
    expect(matches(pattern, { ...envelope('aws.autoscaling', 't'), region: 'us-east-1' })).toBe(false);
  });

  it('prefix with equals-ignore-case (user guide example)', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) {
      expect(matches(pattern, envelope('s', 't', { service }))).toBe(true);
    }
    expect(matches(pattern, envelope('s', 't', { service: 'Lambda' }))).toBe(false);
  });

  it('suffix, with and without equals-ignore-case (user guide examples)', () => {
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, envelope('s', 't', { FileName: 'photo.png' }))).toBe(true);
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, envelope('s', 't', { FileName: 'photo.PNG' }))).toBe(false);
    const ignoreCase = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matches(ignoreCase, envelope('s', 't', { FileName: 'photo.PNG' }))).toBe(true);
    expect(matches(ignoreCase, envelope('s', 't', { FileName: 'photo.jpg' }))).toBe(false);
  });

  it('works on strings only', () => {
    expect(matches({ detail: { code: [{ prefix: '12' }] } }, envelope('s', 't', { code: 123 }))).toBe(false);
    expect(matches({ detail: { code: [{ suffix: '3' }] } }, envelope('s', 't', { code: 123 }))).toBe(false);
  });
});

describe('anything-but', () => {
  it('a single string or number (user guide examples)', () => {
    const state = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matches(state, envelope('s', 't', { state: 'running' }))).toBe(true);
    expect(matches(state, envelope('s', 't', { state: 'initializing' }))).toBe(false);
    const limit = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matches(limit, envelope('s', 't', { 'x-limit': 124 }))).toBe(true);
    expect(matches(limit, envelope('s', 't', { 'x-limit': 123 }))).toBe(false);
  });

  it('a list of strings or of numbers (user guide examples)', () => {
    const states = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matches(states, envelope('s', 't', { state: 'running' }))).toBe(true);
    expect(matches(states, envelope('s', 't', { state: 'overloaded' }))).toBe(false);
    const limits = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matches(limits, envelope('s', 't', { 'x-limit': 150 }))).toBe(true);
    expect(matches(limits, envelope('s', 't', { 'x-limit': 200 }))).toBe(false);
  });

  it('everything except CloudTrail API calls, or except EC2 and S3 (user guide examples)', () => {
    const notCloudTrail = { 'detail-type': [{ 'anything-but': 'AWS API Call via CloudTrail' }] };
    expect(matches(notCloudTrail, envelope('aws.s3', 'Object Created'))).toBe(true);
    expect(matches(notCloudTrail, envelope('aws.s3', 'AWS API Call via CloudTrail'))).toBe(false);
    const notEc2OrS3 = { source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] };
    expect(matches(notEc2OrS3, envelope('aws.lambda', 't'))).toBe(true);
    expect(matches(notEc2OrS3, envelope('aws.s3', 't'))).toBe(false);
  });

  it('a prefix: only your own events, not those of AWS services (user guide examples)', () => {
    const notAws = { source: [{ 'anything-but': { prefix: 'aws.' } }] };
    expect(matches(notAws, envelope('com.mycompany.myapp', 't'))).toBe(true);
    expect(matches(notAws, envelope('aws.ec2', 't'))).toBe(false);
    const notInit = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matches(notInit, envelope('s', 't', { state: 'running' }))).toBe(true);
    expect(matches(notInit, envelope('s', 't', { state: 'initializing' }))).toBe(false);
  });

  it('a suffix, equals-ignore-case and wildcard (operator reference examples)', () => {
    const notPng = { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } };
    expect(matches(notPng, envelope('s', 't', { FileName: 'notes.txt' }))).toBe(true);
    expect(matches(notPng, envelope('s', 't', { FileName: 'photo.png' }))).toBe(false);
    const notStopped = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    expect(matches(notStopped, envelope('s', 't', { state: 'running' }))).toBe(true);
    expect(matches(notStopped, envelope('s', 't', { state: 'STOPPED' }))).toBe(false);
    const notLib = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matches(notLib, envelope('s', 't', { FilePath: '/usr/bin/env' }))).toBe(true);
    expect(matches(notLib, envelope('s', 't', { FilePath: '/usr/lib/libc.so' }))).toBe(false);
    const notLibOrBin = { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } };
    expect(matches(notLibOrBin, envelope('s', 't', { FilePath: '/usr/bin/env' }))).toBe(false);
    expect(matches(notLibOrBin, envelope('s', 't', { FilePath: '/etc/hosts' }))).toBe(true);
  });

  it('needs the field to be there', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, envelope('s', 't', {}))).toBe(false);
  });
});

describe('numeric', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches only when every field is in range (user guide example)', () => {
    expect(matches(pattern, envelope('s', 't', { 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 }))).toBe(true);
    expect(matches(pattern, envelope('s', 't', { 'c-count': 0, 'd-count': 5, 'x-limit': 301.8 }))).toBe(false);
    expect(matches(pattern, envelope('s', 't', { 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
    expect(matches(pattern, envelope('s', 't', { 'c-count': 3, 'd-count': 5, 'x-limit': 301.9 }))).toBe(false);
  });

  it('applies to JSON numbers only', () => {
    expect(matches(pattern, envelope('s', 't', { 'c-count': '3', 'd-count': 5, 'x-limit': 301.8 }))).toBe(false);
  });

  it('supports each operator', () => {
    const at = (numeric: unknown[], value: number): boolean => matches({ detail: { n: [{ numeric }] } }, envelope('s', 't', { n: value }));
    expect([at(['<', 1], 0), at(['<', 1], 1)]).toEqual([true, false]);
    expect([at(['<=', 1], 1), at(['<=', 1], 2)]).toEqual([true, false]);
    expect([at(['=', 1], 1), at(['=', 1], 1.5)]).toEqual([true, false]);
    expect([at(['>', 1], 2), at(['>', 1], 1)]).toEqual([true, false]);
    expect([at(['>=', 1], 1), at(['>=', 1], 0)]).toEqual([true, false]);
    expect([at(['>=', 0, '<', 1], 0.5), at(['>=', 0, '<', 1], 1)]).toEqual([true, false]);
  });
});

describe('exists', () => {
  const noCount = { detail: { 'c-count': [{ exists: false }] } };

  it('exists: false matches an event without the field (user guide example)', () => {
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matches(noCount, event)).toBe(true);
  });

  it('exists: false also matches when the field is not a leaf (user guide example)', () => {
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    };
    expect(matches(noCount, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('exists: false does not match a field that has a value, even null', () => {
    expect(matches(noCount, envelope('s', 't', { 'c-count': 3 }))).toBe(false);
    expect(matches(noCount, envelope('s', 't', { 'c-count': null }))).toBe(false);
  });

  it('exists: true selects events that have the field (user guide example)', () => {
    const pattern = { detail: { description: [{ exists: true }] } };
    expect(matches(pattern, envelope('s', 't', { description: 'disk full' }))).toBe(true);
    expect(matches(pattern, envelope('s', 't', {}))).toBe(false);
  });

  it('exists: false matches when the whole parent object is missing', () => {
    expect(matches({ detail: { meta: { trace: [{ exists: false }] } } }, envelope('s', 't', {}))).toBe(true);
  });
});

describe('equals-ignore-case', () => {
  it('matches regardless of case (user guide example)', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(matches(pattern, envelope('aws.ec2', 'EC2 Instance State-change Notification'))).toBe(true);
    expect(matches(pattern, envelope('aws.ec2', 'EC2 Instance Launch Successful'))).toBe(false);
  });
});

describe('wildcard', () => {
  it('matches any run of characters, including none and "/" (user guide examples)', () => {
    const busArn = { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } };
    expect(matches(busArn, envelope('s', 't', { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }))).toBe(true);
    expect(matches(busArn, envelope('s', 't', { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' }))).toBe(false);
    const png = { detail: { FileName: [{ wildcard: 'dir/*.png' }] } };
    expect(matches(png, envelope('s', 't', { FileName: 'dir/a.png' }))).toBe(true);
    expect(matches(png, envelope('s', 't', { FileName: 'dir/sub/a.png' }))).toBe(true);
    expect(matches(png, envelope('s', 't', { FileName: 'dir/.png' }))).toBe(true);
    expect(matches(png, envelope('s', 't', { FileName: 'dir/a.png.bak' }))).toBe(false);
  });

  it('treats escaped asterisks and backslashes literally, and regex characters as text', () => {
    const literal = { detail: { name: [{ wildcard: 'a\\*b*' }] } };
    expect(matches(literal, envelope('s', 't', { name: 'a*bc' }))).toBe(true);
    expect(matches(literal, envelope('s', 't', { name: 'axbc' }))).toBe(false);
    expect(matches({ detail: { name: [{ wildcard: 'a.c' }] } }, envelope('s', 't', { name: 'abc' }))).toBe(false);
    expect(matches({ detail: { name: [{ wildcard: 'c:\\\\*' }] } }, envelope('s', 't', { name: 'c:\\temp' }))).toBe(true);
  });
});

describe('$or', () => {
  it('matches when any alternative matches (user guide example)', () => {
    const pattern = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matches(pattern, envelope('s', 't', { 'd-count': 3 }))).toBe(true);
    expect(matches(pattern, envelope('s', 't', { 'x-limit': 301.8 }))).toBe(true);
    expect(matches(pattern, envelope('s', 't', { 'c-count': 50, 'd-count': 50 }))).toBe(false);
  });

  it('combines with the other fields of its level (user guide example)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/Lambda' })).toBe(false);
    expect(matches(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' })).toBe(false);
  });

  it('nests', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { $or: [{ namespace: ['AWS/EC2'] }, { detail: { state: ['ALARM'] } }] }],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', detail: { state: 'ALARM' } })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', detail: { state: 'OK' } })).toBe(false);
  });
});

describe('complex example with multiple matching (user guide)', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  };

  it('matches only when every condition holds', () => {
    const detail = { state: 'running', 'c-count': 2, 'd-count': 3, 'x-limit': 150 };
    expect(matches(pattern, envelope('s', 't', detail))).toBe(true);
    expect(matches(pattern, envelope('s', 't', { ...detail, state: 'initializing' }))).toBe(false);
    expect(matches(pattern, envelope('s', 't', { ...detail, 'x-limit': 300 }))).toBe(false);
    expect(matches(pattern, { ...envelope('s', 't', detail), time: '2017-10-03T00:00:00Z' })).toBe(false);
  });
});

describe('validateEventPattern', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['a typo in an operator', { source: [{ prefx: 'team.' }] }, /unsupported operator "prefx"/],
    ['a typo inside anything-but', { source: [{ 'anything-but': { prefx: 'team.' } }] }, /unsupported operator "prefx" inside "anything-but"/],
    ['cidr, which the local bus does not implement', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, /"cidr" matching is not supported/],
    ['a value that is not in an array', { source: 'partner.mitros' }, /must be an object or an array/],
    ['an empty array', { source: [] }, /empty arrays are not allowed/],
    ['an empty pattern', {}, /empty objects are not allowed/],
    ['a pattern that is not an object', ['partner.mitros'], /must be a JSON object/],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    ['a numeric operator that does not exist', { detail: { n: [{ numeric: ['!=', 1] }] } }, /unsupported numeric operator/],
    ['a numeric range without an upper bound', { detail: { n: [{ numeric: ['>', 1, '>', 2] }] } }, /lower bound .* and one upper bound/],
    ['an empty numeric range', { detail: { n: [{ numeric: ['>', 5, '<', 1] }] } }, /must be below its upper bound/],
    ['a numeric operand out of range', { detail: { n: [{ numeric: ['<', 6e9] }] } }, /between -5e9 and 5e9/],
    ['a string numeric operand', { detail: { n: [{ numeric: ['<', '10'] }] } }, /must be a number/],
    ['an anything-but list of mixed types', { detail: { n: [{ 'anything-but': ['a', 1] }] } }, /only strings or only numbers/],
    ['exists with a non-boolean', { detail: { n: [{ exists: 'yes' }] } }, /true or false/],
    ['consecutive wildcards', { detail: { n: [{ wildcard: 'a**b' }] } }, /consecutive wildcard/],
    ['an unknown wildcard escape', { detail: { n: [{ wildcard: 'a\\b' }] } }, /may only escape/],
    ['prefix with an unknown inner operator', { detail: { n: [{ prefix: { 'ignore-case': 'a' } }] } }, /unsupported operator "ignore-case" inside "prefix"/],
  ];

  it.each(invalid)('rejects %s', (_name, pattern, message) => {
    expect(() => validateEventPattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => validateEventPattern(pattern)).toThrow(message);
  });

  it('names where the problem is', () => {
    try {
      validateEventPattern({ detail: { state: ['ok', { prefx: 'x' }] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventPatternError);
      expect((error as InvalidEventPatternError).path).toBe('detail.state[1]');
      expect((error as InvalidEventPatternError).code).toBe('InvalidEventPatternException');
    }
  });

  it('also fails fast when an invalid pattern reaches the matcher', () => {
    expect(() => matchesEventPattern({ source: [{ prefx: 'a' }] }, envelope('a', 't'))).toThrow(InvalidEventPatternError);
  });

  it('accepts every rule of the project', () => {
    for (const rule of Object.values(RULES)) expect(() => validateEventPattern(rule.pattern)).not.toThrow();
  });
});

describe('the project rules (events/src/patterns.ts)', () => {
  const partnerEntry = envelope('partner.mitros', 'RentArrearsReported', { householdRef: 'h-1' });
  const malformedSource = envelope('foo', 'RentArrearsReported');
  const unknownDetailType = envelope('partner.woonstad', 'SomethingElse');
  const teamEntry = envelope('team.utrecht-schuldhulp', 'AlertPickedUp');
  const escalation = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue);
  const signalOutcome = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome);
  const teamReportOutcome = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.teamReportOutcome);
  const spoofedEscalation = envelope('partner.mitros', PIPELINE_DETAIL_TYPES.deliveryDue);

  it('partnerSignals takes partner entries and anything else that is not from a team', () => {
    const { pattern } = RULES.partnerSignals;
    expect(matches(pattern, partnerEntry)).toBe(true);
    expect(matches(pattern, malformedSource)).toBe(true);
    expect(matches(pattern, unknownDetailType)).toBe(true);
    expect(matches(pattern, teamEntry)).toBe(false);
    expect(matches(pattern, envelope('team.', 'AlertPickedUp'))).toBe(false);
  });

  it('teamReports takes exactly the team entries', () => {
    const { pattern } = RULES.teamReports;
    expect(matches(pattern, teamEntry)).toBe(true);
    expect(matches(pattern, envelope('team.amsterdam-buurtteam', 'CaseClosed'))).toBe(true);
    expect(matches(pattern, partnerEntry)).toBe(false);
    expect(matches(pattern, malformedSource)).toBe(false);
    // Case matters: `Team.x` is not a team source.
    expect(matches(pattern, envelope('Team.utrecht-schuldhulp', 'AlertPickedUp'))).toBe(false);
  });

  it('partnerSignals and teamReports split the signals bus without overlap or gap', () => {
    for (const event of [partnerEntry, malformedSource, unknownDetailType, teamEntry, envelope('', 'x')]) {
      const routed = [RULES.partnerSignals, RULES.teamReports].filter((rule) => matches(rule.pattern, event));
      expect(routed).toHaveLength(1);
    }
  });

  it('dueDeliveries takes only the pipeline source with its detail type', () => {
    const { pattern } = RULES.dueDeliveries;
    expect(matches(pattern, escalation)).toBe(true);
    expect(matches(pattern, spoofedEscalation)).toBe(false);
    expect(matches(pattern, signalOutcome)).toBe(false);
    expect(matches(pattern, teamReportOutcome)).toBe(false);
  });

  it('signalOutcomes takes both outcome types from the pipeline, and nothing else', () => {
    const { pattern } = RULES.signalOutcomes;
    expect(matches(pattern, signalOutcome)).toBe(true);
    expect(matches(pattern, teamReportOutcome)).toBe(true);
    expect(matches(pattern, escalation)).toBe(false);
    expect(matches(pattern, envelope('partner.mitros', PIPELINE_DETAIL_TYPES.signalOutcome))).toBe(false);
  });

  it('partnerOutcomesPattern gives a partner its own outcomes and no other partner\'s', () => {
    const pattern = partnerOutcomesPattern('mitros');
    const outcomeFor = (partnerId: string | null) => ({ ...signalOutcome, detail: { ...(signalOutcome.detail as object), partnerId } });
    expect(() => validateEventPattern(pattern)).not.toThrow();
    expect(matches(pattern, outcomeFor('mitros'))).toBe(true);
    expect(matches(pattern, outcomeFor('portaal'))).toBe(false);
    expect(matches(pattern, outcomeFor(null))).toBe(false);
    expect(matches(pattern, { ...teamReportOutcome, detail: { partnerId: 'mitros' } })).toBe(false);
  });
});
