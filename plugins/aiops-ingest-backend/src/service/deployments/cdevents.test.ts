import { describeArtifact, parseCdEvent } from './cdevents';
import { inputErrorMessage, fixtureJson } from './__testUtils__/fixtures';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The spec's examples all describe one artifact in one environment. */
const SPEC_EXAMPLE = {
  labels: { service: 'mySubject123', app: 'myapp' },
  environment: 'test123',
  version:
    'sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
  startedAt: '2023-03-20T14:27:05.315Z',
};

const SPEC_VERSIONS = ['v0.1.2', 'v0.3.0', 'v0.4.1', 'v0.5.1'];
const EVENTS = [
  ['service_deployed', 'succeeded'],
  ['service_upgraded', 'succeeded'],
  ['service_rolledback', 'rolled_back'],
] as const;
const CASES = SPEC_VERSIONS.flatMap(version =>
  EVENTS.map(([event, status]) => [version, event, status] as const),
);

/** A CDEvent in CloudEvents structured mode, as the CDEvents binding specifies it. */
function structured(cdevent: any) {
  return {
    specversion: '1.0',
    id: cdevent.context.id,
    source: cdevent.context.source,
    type: cdevent.context.type,
    subject: cdevent.subject.id,
    time: cdevent.context.timestamp,
    datacontenttype: 'application/json',
    data: cdevent,
  };
}

/** The same in binary mode: the context in ce-* headers, the CDEvent as the body. */
function binaryHeaders(cdevent: any) {
  return {
    ...JSON_HEADERS,
    'ce-specversion': '1.0',
    'ce-id': cdevent.context.id,
    'ce-source': cdevent.context.source,
    'ce-type': cdevent.context.type,
    'ce-subject': cdevent.subject.id,
    'ce-time': cdevent.context.timestamp,
  };
}

describe('parseCdEvent', () => {
  describe.each(CASES)('spec %s %s', (version, event, status) => {
    const cdevent = fixtureJson(`cdevents/${version}-${event}.json`);
    const expected = [
      {
        source: 'cdevents',
        externalId: `${cdevent.context.source}|${cdevent.context.id}`,
        status,
        ...SPEC_EXAMPLE,
      },
    ];

    it('is read as a bare CDEvent', () => {
      expect(parseCdEvent(cdevent, JSON_HEADERS)).toEqual(expected);
    });

    it('is read in CloudEvents binary mode', () => {
      expect(parseCdEvent(cdevent, binaryHeaders(cdevent))).toEqual(expected);
    });

    it('is read in CloudEvents structured mode', () => {
      expect(
        parseCdEvent(structured(cdevent), {
          'content-type': 'application/cloudevents+json; charset=utf-8',
        }),
      ).toEqual(expected);
    });
  });

  it('reads the fixtures in the shapes each spec version has', () => {
    const v04 = fixtureJson('cdevents/v0.4.1-service_deployed.json');
    const v05 = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    expect(v04.context).toHaveProperty('version', '0.4.1');
    expect(v04.subject).toHaveProperty('type', 'service');
    expect(v05.context).toHaveProperty('specversion', '0.5.1');
    expect(v05.context).not.toHaveProperty('version');
    expect(v05.subject).not.toHaveProperty('type');
  });

  it('reads structured mode sent as application/json', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    expect(parseCdEvent(structured(cdevent), JSON_HEADERS)).toEqual(
      parseCdEvent(cdevent, JSON_HEADERS),
    );
  });

  it('reads structured mode with the CDEvent in data_base64', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_rolledback.json');
    const { data, ...envelope } = structured(cdevent);
    const body = {
      ...envelope,
      data_base64: Buffer.from(JSON.stringify(data)).toString('base64'),
    };
    expect(
      parseCdEvent(body, { 'content-type': 'application/cloudevents+json' }),
    ).toEqual(parseCdEvent(cdevent, JSON_HEADERS));
  });

  it('keys idempotency on source and id together', () => {
    const cdevent = fixtureJson('cdevents/v0.4.1-service_deployed.json');
    const elsewhere = {
      ...cdevent,
      context: { ...cdevent.context, source: '/staging/tekton' },
    };
    const [first] = parseCdEvent(cdevent, JSON_HEADERS);
    const [second] = parseCdEvent(elsewhere, JSON_HEADERS);
    expect(first.externalId).toBe(
      '/event/source/123|271069a8-fc18-44f1-b38f-9d70a1695819',
    );
    expect(second.externalId).toBe(
      '/staging/tekton|271069a8-fc18-44f1-b38f-9d70a1695819',
    );
  });

  it('takes the service from the last segment of the subject id', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    cdevent.subject.id = 'service/cartservice';
    cdevent.subject.content.artifactId =
      'pkg:oci/cart@sha256%3Aabc?repository_url=ghcr.io/acme/cart&tag=1.8.0';
    const [deployment] = parseCdEvent(cdevent, JSON_HEADERS);
    expect(deployment.labels).toEqual({ service: 'cartservice', app: 'cart' });
    expect(deployment.version).toBe('1.8.0');
  });

  it('rejects other CDEvents, naming context.type', () => {
    const build = fixtureJson('cdevents/v0.5.1-build_started.json');
    expect(
      inputErrorMessage(() => parseCdEvent(build, JSON_HEADERS)),
    ).toContain(
      'context.type "dev.cdevents.build.started.0.3.0" is not a supported deployment event',
    );
  });

  it('does not take a longer predicate for a supported one', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    cdevent.context.type = 'dev.cdevents.service.deployedsomewhere.0.1.0';
    expect(
      inputErrorMessage(() => parseCdEvent(cdevent, JSON_HEADERS)),
    ).toContain('is not a supported');
  });

  it('names fields inside data in structured mode', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    delete cdevent.subject.content.environment;
    expect(
      inputErrorMessage(() =>
        parseCdEvent(structured(cdevent), {
          'content-type': 'application/cloudevents+json',
        }),
      ),
    ).toContain('data.subject.content.environment must be an object');
  });

  it.each([
    ['context.timestamp', (e: any) => delete e.context.timestamp],
    ['context.source', (e: any) => delete e.context.source],
    [
      'subject.content.artifactId',
      (e: any) => delete e.subject.content.artifactId,
    ],
    ['subject.id', (e: any) => (e.subject.id = '')],
  ])('rejects an event without %s', (field, mutate) => {
    const cdevent = fixtureJson('cdevents/v0.4.1-service_upgraded.json');
    mutate(cdevent);
    expect(
      inputErrorMessage(() => parseCdEvent(cdevent, JSON_HEADERS)),
    ).toContain(field);
  });

  it('rejects batched mode with a clear message', () => {
    const cdevent = fixtureJson('cdevents/v0.5.1-service_deployed.json');
    expect(
      inputErrorMessage(() =>
        parseCdEvent([structured(cdevent)], {
          'content-type': 'application/cloudevents-batch+json',
        }),
      ),
    ).toContain('batched mode is not supported');
  });

  it('rejects data_base64 that is not JSON', () => {
    expect(
      inputErrorMessage(() =>
        parseCdEvent(
          { specversion: '1.0', data_base64: 'bm90IGpzb24=' },
          { 'content-type': 'application/cloudevents+json' },
        ),
      ),
    ).toContain('data_base64 must be a base64-encoded JSON CDEvent');
  });

  it.each([
    [
      'nests deeper than the body limit',
      `{"context":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      'data_base64 nests deeper than 64 levels',
    ],
    [
      'holds a lone UTF-16 surrogate',
      '{"context":{"id":"\\ud800"}}',
      'data_base64.context.id holds a lone UTF-16 surrogate',
    ],
  ])(
    'rejects data_base64 that %s, as the body reader would',
    (_, json, message) => {
      expect(
        inputErrorMessage(() =>
          parseCdEvent(
            {
              specversion: '1.0',
              data_base64: Buffer.from(json).toString('base64'),
            },
            { 'content-type': 'application/cloudevents+json' },
          ),
        ),
      ).toContain(message);
    },
  );
});

describe('describeArtifact', () => {
  it.each([
    // the CDEvents spec's examples
    [
      'pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
      'myapp',
      'sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
    ],
    [
      'pkg:golang/mygit.com/myorg/myapp@234fd47e07d1004f0aed9c',
      'myapp',
      '234fd47e07d1004f0aed9c',
    ],
    [
      'six-1.14.0-py2.py3-none-any.whl',
      undefined,
      'six-1.14.0-py2.py3-none-any.whl',
    ],
    // the purl spec's OCI examples: a tag wins over the digest, except `latest`
    [
      'pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=ghcr.io/debian&tag=bullseye',
      'debian',
      'bullseye',
    ],
    [
      'pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian&arch=amd64&tag=latest',
      'debian',
      'sha256:244fd47e07d10',
    ],
    ['pkg:npm/%40angular/animation@12.3.1', 'animation', '12.3.1'],
    [
      'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=jar#sub/path',
      'batik-anim',
      '1.9.1',
    ],
    // no version at all: the artifact id is the best version there is
    ['pkg:oci/cart', 'cart', 'pkg:oci/cart'],
  ])('%s', (artifactId, name, version) => {
    expect(describeArtifact(artifactId)).toEqual({ name, version });
  });
});
