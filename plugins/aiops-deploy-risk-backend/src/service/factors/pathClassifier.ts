/**
 * Classifies changed paths into the kinds of change that fail deploys out of proportion to
 * their size. Bounded work by construction: at most MAX_PATHS paths, each cut to
 * MAX_PATH_LENGTH characters, split on `/` and looked up in fixed sets — no regular
 * expression ever runs on the input.
 */

export type PathKind =
  | 'migration'
  | 'infrastructure'
  | 'dependency-manifest'
  | 'config';

export const MAX_PATHS = 2000;
export const MAX_PATH_LENGTH = 1024;

/** Directory names that hold database migrations. */
const MIGRATION_DIRS = new Set([
  'migrations',
  'migration',
  'migrate',
  'db_migrations',
  'flyway',
  'liquibase',
  'alembic',
  'changelog',
  'schema_migrations',
]);
/** Directory names that hold infrastructure as code or deployment manifests. */
const INFRA_DIRS = new Set([
  'terraform',
  'infra',
  'infrastructure',
  'k8s',
  'kubernetes',
  'helm',
  'charts',
  'deploy',
  'deployment',
  'deployments',
  'manifests',
  'ansible',
  'pulumi',
  'cdk',
  'workflows',
]);
const INFRA_FILES = new Set([
  'dockerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yaml',
  'compose.yml',
  'chart.yaml',
  'kustomization.yaml',
  'jenkinsfile',
  '.gitlab-ci.yml',
  'skaffold.yaml',
]);
const INFRA_EXTENSIONS = ['.tf', '.tfvars', '.hcl'];
const DEPENDENCY_MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'go.mod',
  'go.sum',
  'requirements.txt',
  'pyproject.toml',
  'poetry.lock',
  'pipfile',
  'pipfile.lock',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'gradle.properties',
  'gemfile',
  'gemfile.lock',
  'cargo.toml',
  'cargo.lock',
  'composer.json',
  'composer.lock',
  'packages.lock.json',
]);
const CONFIG_DIRS = new Set(['config', 'configs', 'conf', 'settings']);
const CONFIG_FILES = new Set([
  '.env',
  'app-config.yaml',
  'app-config.production.yaml',
  'application.yml',
  'application.yaml',
  'application.properties',
  'settings.py',
  'appsettings.json',
  'values.yaml',
]);
const CONFIG_EXTENSIONS = [
  '.properties',
  '.ini',
  '.env',
  '.conf',
  '.cfg',
  '.toml',
];

/** The kind of one path, or undefined for ordinary code. The first kind that applies wins. */
export function classifyPath(path: string): PathKind | undefined {
  const parts = path
    .slice(0, MAX_PATH_LENGTH)
    .toLowerCase()
    .split('/')
    .filter(p => p.length > 0);
  if (parts.length === 0) return undefined;
  const file = parts[parts.length - 1];
  const dirs = parts.slice(0, -1);
  if (dirs.some(d => MIGRATION_DIRS.has(d))) return 'migration';
  if (file.endsWith('.sql')) return 'migration';
  if (DEPENDENCY_MANIFESTS.has(file)) return 'dependency-manifest';
  if (
    INFRA_FILES.has(file) ||
    file.startsWith('dockerfile.') ||
    INFRA_EXTENSIONS.some(e => file.endsWith(e)) ||
    dirs.some(d => INFRA_DIRS.has(d))
  ) {
    return 'infrastructure';
  }
  if (
    CONFIG_FILES.has(file) ||
    file.startsWith('.env.') ||
    CONFIG_EXTENSIONS.some(e => file.endsWith(e)) ||
    dirs.some(d => CONFIG_DIRS.has(d))
  ) {
    return 'config';
  }
  return undefined;
}

/** How many of the (first MAX_PATHS) paths fall into each kind. */
export function classifyPaths(paths: string[]): Record<PathKind, number> {
  const counts: Record<PathKind, number> = {
    migration: 0,
    infrastructure: 0,
    'dependency-manifest': 0,
    config: 0,
  };
  for (const path of paths.slice(0, MAX_PATHS)) {
    if (typeof path !== 'string') continue;
    const kind = classifyPath(path);
    if (kind) counts[kind]++;
  }
  return counts;
}
