import {
  classifyPath,
  classifyPaths,
  MAX_PATH_LENGTH,
  MAX_PATHS,
} from './pathClassifier';

describe('classifyPath', () => {
  it.each([
    ['db/migrations/20261201_add_cart.ts', 'migration'],
    ['src/schema/001_init.sql', 'migration'],
    ['package.json', 'dependency-manifest'],
    ['services/cart/go.sum', 'dependency-manifest'],
    ['infra/main.tf', 'infrastructure'],
    ['deploy/helm/cart/templates/deployment.yaml', 'infrastructure'],
    ['Dockerfile', 'infrastructure'],
    ['docker/Dockerfile.prod', 'infrastructure'],
    ['.github/workflows/ci.yml', 'infrastructure'],
    ['config/production.json', 'config'],
    ['app-config.yaml', 'config'],
    ['.env.production', 'config'],
    ['src/cart/service.ts', undefined],
    ['README.md', undefined],
    ['', undefined],
    ['///', undefined],
  ])('%s is %s', (path, kind) => {
    expect(classifyPath(path)).toBe(kind);
  });

  it('prefers the riskier kind when several apply', () => {
    expect(classifyPath('config/migrations/1.sql')).toBe('migration');
    expect(classifyPath('deploy/package.json')).toBe('dependency-manifest');
  });

  it('only reads the first MAX_PATH_LENGTH characters of a path', () => {
    const long = `${'a/'.repeat(MAX_PATH_LENGTH)}migrations/x.ts`;
    expect(classifyPath(long)).toBeUndefined();
  });
});

describe('classifyPaths', () => {
  it('counts paths per kind and ignores what is not a string', () => {
    expect(
      classifyPaths([
        'a/migrations/1.ts',
        'b/migrations/2.ts',
        'package.json',
        7 as unknown as string,
        'src/x.ts',
      ]),
    ).toEqual({
      migration: 2,
      infrastructure: 0,
      'dependency-manifest': 1,
      config: 0,
    });
  });

  it('looks at no more than MAX_PATHS paths', () => {
    const paths = [
      ...Array(MAX_PATHS).fill('src/a.ts'),
      'db/migrations/late.sql',
    ];
    expect(classifyPaths(paths).migration).toBe(0);
  });
});
