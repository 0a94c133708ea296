import {
  alertKind,
  DEFAULT_ALERT_KINDS,
  entityKind,
  wordsOf,
} from './alertKind';

const alert = (alertname: string, labels: Record<string, string> = {}) => ({
  title: alertname,
  labels: { alertname, ...labels },
});

describe('alertKind', () => {
  it('splits alert names the way people write them', () => {
    expect(wordsOf('KubePodCrashLooping')).toEqual(
      expect.arrayContaining([
        'kube',
        'pod',
        'crash',
        'looping',
        'crashlooping',
      ]),
    );
    expect(wordsOf('OOMKilled')).toEqual(['oom', 'killed', 'oomkilled']);
    expect(wordsOf('rabbitmq_queue_backlog')).toEqual(
      expect.arrayContaining(['rabbitmq', 'queue', 'backlog']),
    );
    expect(wordsOf('KubePodNotReady')).toContain('notready');
    expect(wordsOf('NginxHigh5xxRate')).toEqual(
      expect.arrayContaining(['nginx', 'high5xx', 'rate']),
    );
  });

  it('tells outages, symptoms and the rest apart', () => {
    expect(alertKind(alert('TargetDown'))).toBe('outage');
    expect(alertKind(alert('KubePodCrashLooping'))).toBe('outage');
    expect(alertKind(alert('RabbitmqQueueBacklog'))).toBe('symptom');
    expect(alertKind(alert('KafkaConsumerLag'))).toBe('symptom');
    expect(alertKind(alert('PostgresConnectionsSaturated'))).toBe('symptom');
    expect(alertKind(alert('CheckoutErrorRate'))).toBe('neutral');
    // `slowdown` is one word, not `down`.
    expect(alertKind(alert('Slowdown'))).toBe('neutral');
    // Both kinds of words: the outage wins.
    expect(alertKind(alert('QueueConsumerDownBacklog'))).toBe('outage');
  });

  it('reads the configured labels, and a label that states the kind', () => {
    expect(
      alertKind(alert('KubePodWaiting', { reason: 'CrashLoopBackOff' })),
    ).toBe('outage');
    expect(alertKind(alert('TargetDown', { aiops_kind: 'symptom' }))).toBe(
      'symptom',
    );
    expect(
      alertKind(alert('BrokerFlowControl'), {
        ...DEFAULT_ALERT_KINDS,
        symptomWords: ['flow'],
      }),
    ).toBe('symptom');
  });

  it('reads only a bounded prefix of what a sender sends', () => {
    expect(alertKind(alert(`${'a'.repeat(100_000)}Down`))).toBe('neutral');
  });

  it('takes the most outage-like kind of an entity', () => {
    expect(entityKind(['symptom', 'outage', 'neutral'])).toBe('outage');
    expect(entityKind(['symptom'])).toBe('symptom');
    expect(entityKind([])).toBe('symptom');
  });
});
